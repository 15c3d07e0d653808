import { render } from 'preact';
import { act } from 'preact/test-utils';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { useNarrow } from './narrow';

let mount: HTMLElement;

beforeEach(() => {
  document.body.innerHTML = '<div id="mount"></div>';
  mount = document.getElementById('mount')!;
});
afterEach(() => render(null, mount));

function Layout() {
  return <p>{useNarrow() ? 'narrow' : 'wide'}</p>;
}

const resize = (width: number) => act(() => { (window as any).happyDOM.setViewport({ width, height: 800 }); });

it('follows the window across the narrow layout\'s edge, both ways', () => {
  resize(1366);
  act(() => render(<Layout />, mount));
  expect(mount.textContent).toBe('wide');
  resize(390);
  expect(mount.textContent).toBe('narrow');
  resize(760);
  expect(mount.textContent).toBe('narrow');
  resize(761);
  expect(mount.textContent).toBe('wide');
});
