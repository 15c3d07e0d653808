// Small line icons (16 px, currentColor) shared by the screens.

export function MailIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" data-icon="mail" aria-hidden="true">
      <rect x="3" y="5" width="18" height="14" rx="2" /><path d="m3 7 9 6 9-6" />
    </svg>
  );
}

export function ChatIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" data-icon="chat" aria-hidden="true">
      <path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1.1-4.6A8 8 0 1 1 21 12z" />
    </svg>
  );
}

export function DownloadIcon() {
  return (
    <svg width="16" height="16" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" data-icon="download" aria-hidden="true">
      <path d="M12 4v11" /><path d="m7 10 5 5 5-5" /><path d="M5 20h14" />
    </svg>
  );
}

/** A line icon of the set (24-unit paths, 16 px, currentColor). */
function Line({ name, children, size = 16 }: { name: string; children: preact.ComponentChildren; size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round"
      stroke-linejoin="round" data-icon={name} aria-hidden="true">{children}</svg>
  );
}

export const UpIcon = () => <Line name="up"><path d="M12 19V5" /><path d="m6 11 6-6 6 6" /></Line>;
export const DownIcon = () => <Line name="down"><path d="M12 5v14" /><path d="m6 13 6 6 6-6" /></Line>;
export const EditIcon = () => <Line name="edit"><path d="M4 20h4L19 9l-4-4L4 16z" /><path d="m13.5 6.5 4 4" /></Line>;
export const TrashIcon = () => <Line name="trash"><path d="M4 7h16" /><path d="M10 11v6M14 11v6" /><path d="M6 7l1 13h10l1-13" /><path d="M9 7V4h6v3" /></Line>;

/** The sections' icons in the side menu: one line set, no emoji. */
export const SectionIcons: Record<string, () => preact.JSX.Element> = {
  monitor: () => <Line name="monitor" size={18}><rect x="3" y="4" width="18" height="12" rx="2" /><path d="M8 20h8M12 16v4" /></Line>,
  reports: () => <Line name="reports" size={18}><path d="M4 20V4" /><path d="M4 20h16" /><path d="M8 16v-5M12 16V8M16 16v-3" /></Line>,
  operators: () => <Line name="operators" size={18}><circle cx="9" cy="8" r="3.5" /><path d="M2.5 20a6.5 6.5 0 0 1 13 0" /><path d="M16 4.5a3.5 3.5 0 0 1 0 7M18.5 20a6.5 6.5 0 0 0-3-5.5" /></Line>,
  'contact-points': () => <Line name="contact-points" size={18}><path d="M21 12a8 8 0 0 1-11.6 7.1L4 20l1.1-4.6A8 8 0 1 1 21 12z" /></Line>,
  categories: () => <Line name="categories" size={18}><path d="M20 12 12 20l-8-8V4h8z" /><circle cx="8.5" cy="8.5" r="1.2" /></Line>,
  'quick-messages': () => <Line name="quick-messages" size={18}><path d="M13 3 4 14h7l-1 7 9-11h-7z" /></Line>,
  stickers: () => <Line name="stickers" size={18}><circle cx="12" cy="12" r="9" /><path d="M8.5 14.5a4.5 4.5 0 0 0 7 0" /><path d="M9 9.5h.01M15 9.5h.01" /></Line>,
  dictionary: () => <Line name="dictionary" size={18}><path d="M4 5a2 2 0 0 1 2-2h13v16H6a2 2 0 0 0-2 2z" /><path d="M4 19a2 2 0 0 1 2-2h13" /></Line>,
  settings: () => <Line name="settings" size={18}><circle cx="12" cy="12" r="3" /><path d="M12 2v3M12 19v3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M2 12h3M19 12h3M4.9 19.1 7 17M17 7l2.1-2.1" /></Line>,
};
