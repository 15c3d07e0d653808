import type { ID, Quote } from '../api/types';

/** What the operator has typed in one conversation and not sent yet. */
export interface Draft {
  text: string;
  /** The visitor message being quoted, if any. */
  quote: Quote | null;
  /** Writing an internal comment instead of a reply. */
  comment: boolean;
}

export const emptyDraft: Draft = { text: '', quote: null, comment: false };

/**
 * Drafts per conversation in localStorage, so nothing typed is lost on a reload, a crash or
 * a switch to another conversation. Keys are scoped by operator: two people sharing a browser
 * never see each other's drafts.
 */
export class DraftStore {
  constructor(private readonly operatorId: ID, private readonly storage: Storage = localStorage) {}

  private key(conversation: ID) {
    return `livedesk.draft.${this.operatorId}.${conversation}`;
  }

  load(conversation: ID): Draft {
    try {
      const raw = this.storage.getItem(this.key(conversation));
      if (!raw) return emptyDraft;
      const d = JSON.parse(raw);
      return { text: typeof d.text === 'string' ? d.text : '', quote: d.quote ?? null, comment: d.comment === true };
    } catch {
      return emptyDraft;
    }
  }

  save(conversation: ID, d: Draft) {
    try {
      if (!d.text && !d.quote && !d.comment) this.storage.removeItem(this.key(conversation));
      else this.storage.setItem(this.key(conversation), JSON.stringify(d));
    } catch { /* storage full or disabled: the draft lives in memory only */ }
  }

  clear(conversation: ID) {
    try {
      this.storage.removeItem(this.key(conversation));
    } catch { /* ignore */ }
  }
}
