import { useEffect, useState } from 'preact/hooks';

/** The narrow layout's media query (styles.css): the list or the conversation, one at a time. */
export const NARROW = '(max-width: 760px)';

/** Whether the narrow layout is on now, following the window as it is resized or turned. */
export function useNarrow(): boolean {
  const [narrow, setNarrow] = useState(() => matchMedia(NARROW).matches);
  useEffect(() => {
    const q = matchMedia(NARROW);
    const update = () => setNarrow(q.matches);
    update();
    q.addEventListener('change', update);
    return () => q.removeEventListener('change', update);
  }, []);
  return narrow;
}
