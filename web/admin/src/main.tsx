import { render } from 'preact';
import { App } from './components/App';
import { getLang } from './i18n';
import '../../shared/base.css';
import './styles.css';

document.documentElement.lang = getLang();
render(<App />, document.getElementById('app')!);
