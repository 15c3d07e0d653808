import { render } from 'preact';

function App() {
  return <main>livedesk</main>;
}

render(<App />, document.getElementById('app')!);
