// The profile panel's state: each open conversation's visitor profile and earlier
// conversations, loaded when the panel shows them and kept live by visitor.updated; and
// whether the panel is open, remembered per operator in this browser.

import { profileApi, type EarlierConversation, type VisitorProfile } from '../api/profile';
import type { ID } from '../api/types';

/** What the panel knows of one conversation's visitor. */
export interface ProfileEntry {
  profile: VisitorProfile | null;
  earlier: EarlierConversation[] | null;
  /** The last load failed (shown with a retry). */
  error: string | null;
}

const empty: ProfileEntry = { profile: null, earlier: null, error: null };

/** The API the store needs (a fake one in tests). */
export type ProfileSource = Pick<typeof profileApi, 'profile' | 'earlier'>;

/** Per-operator storage of the panel's state (localStorage; a Map in tests). */
export type PanelStorage = Pick<Storage, 'getItem' | 'setItem'>;

export class ProfileStore {
  private entries = new Map<ID, ProfileEntry>();
  private listeners = new Set<() => void>();
  private loading = new Set<ID>();

  constructor(private readonly src: ProfileSource, private readonly operatorId: ID, private readonly storage: PanelStorage | null) {}

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit() {
    this.listeners.forEach((fn) => fn());
  }

  get(conversation: ID): ProfileEntry {
    return this.entries.get(conversation) ?? empty;
  }

  private set(conversation: ID, patch: Partial<ProfileEntry>) {
    this.entries.set(conversation, { ...this.get(conversation), ...patch });
    this.emit();
  }

  /** Loads (or reloads) a conversation's visitor profile and earlier conversations. */
  async load(conversation: ID): Promise<void> {
    if (this.loading.has(conversation)) return;
    this.loading.add(conversation);
    try {
      const [profile, earlier] = await Promise.all([this.src.profile(conversation), this.src.earlier(conversation)]);
      this.set(conversation, { profile, earlier: earlier.items, error: null });
    } catch (e) {
      this.set(conversation, { error: e instanceof Error ? e.message : String(e) });
    } finally {
      this.loading.delete(conversation);
    }
  }

  /** A live profile (visitor.updated) or an edit's answer replaces what the panel shows. */
  setProfile(conversation: ID, profile: VisitorProfile) {
    this.set(conversation, { profile, error: null });
  }

  /** Forgets conversations (a deleted visitor's, or all after a resync). */
  forget(ids?: ID[]) {
    if (!ids) this.entries.clear();
    else ids.forEach((id) => this.entries.delete(id));
    this.emit();
  }

  private sheet = false;

  /** Whether the phone's sheet is open (not remembered: it opens on demand). */
  get sheetOpen(): boolean {
    return this.sheet;
  }

  set sheetOpen(open: boolean) {
    if (open === this.sheet) return;
    this.sheet = open;
    this.emit();
  }

  private get key(): string {
    return 'livedesk.profilePanel.' + this.operatorId;
  }

  /** Whether the panel is open on a wide screen (open until the operator closes it). */
  get panelOpen(): boolean {
    try {
      return this.storage?.getItem(this.key) !== 'closed';
    } catch {
      return true;
    }
  }

  set panelOpen(open: boolean) {
    try {
      this.storage?.setItem(this.key, open ? 'open' : 'closed');
    } catch { /* not remembered */ }
    this.emit();
  }
}
