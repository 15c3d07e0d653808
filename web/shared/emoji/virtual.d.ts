declare module 'virtual:livedesk-emoji' {
  /** Where livedesk serves the prepared emoji data (relative to its origin). */
  export const emojiDataPath: string;
}
