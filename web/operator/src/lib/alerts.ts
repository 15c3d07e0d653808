// Sounds, desktop notifications and the title bar counter: how the app gets attention
// while the operator looks at another window.

let audio: AudioContext | null = null;

/** Browsers only let a page make sound after a user gesture: the first click unlocks it. */
export function unlockAudio() {
  if (audio || typeof AudioContext === 'undefined') return;
  try {
    audio = new AudioContext();
  } catch {
    audio = null;
  }
}

/** A short two-note chime: rising for a new conversation, repeated for a transfer offer. */
export function chime(kind: 'assigned' | 'offer') {
  if (!audio) return;
  if (audio.state === 'suspended') void audio.resume();
  const notes = kind === 'assigned' ? [660, 880] : [880, 660, 880];
  const t0 = audio.currentTime;
  notes.forEach((f, i) => {
    const osc = audio!.createOscillator();
    const gain = audio!.createGain();
    osc.type = 'sine';
    osc.frequency.value = f;
    const start = t0 + i * 0.16;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.18, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + 0.15);
    osc.connect(gain).connect(audio!.destination);
    osc.start(start);
    osc.stop(start + 0.16);
  });
}

export type Permission = 'default' | 'granted' | 'denied' | 'unsupported';

export function notificationPermission(): Permission {
  return typeof Notification === 'undefined' ? 'unsupported' : Notification.permission;
}

export async function askNotificationPermission(): Promise<Permission> {
  if (typeof Notification === 'undefined') return 'unsupported';
  try {
    return await Notification.requestPermission();
  } catch {
    return Notification.permission;
  }
}

/** A desktop notification, shown only when the operator is not looking at the app. */
export function desktopNotify(title: string, body: string, tag: string, onClick: () => void) {
  if (notificationPermission() !== 'granted' || document.visibilityState === 'visible' && document.hasFocus()) return;
  try {
    const n = new Notification(title, { body, tag });
    n.onclick = () => {
      window.focus();
      onClick();
      n.close();
    };
  } catch { /* some browsers only allow notifications from a service worker */ }
}

/** «(3) livedesk»: the count of things that wait for the operator. */
export function setTitleCount(n: number) {
  document.title = n > 0 ? `(${n}) livedesk` : 'livedesk';
}
