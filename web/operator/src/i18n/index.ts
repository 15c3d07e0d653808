import { createI18n } from '../../../shared/i18n';
import { en } from './en';
import { ru } from './ru';

export type { Lang } from '../../../shared/i18n';
export type Key = keyof typeof ru;

// The language core is shared with the admin cabinet (and so is the stored choice, one per browser).
const i18n = createI18n<Key>(ru, en);

export const { getLang, setLang, onLangChange, t } = i18n;
