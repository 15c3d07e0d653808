import { render } from 'preact';

render(<main>Личный кабинет</main>, document.getElementById('app')!);
