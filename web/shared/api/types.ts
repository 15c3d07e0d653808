// API shapes that the operator app and the admin cabinet see identically, re-exported from the
// types generated from docs/openapi.yaml (types.gen.ts, `npm run gen:api`).

export type { Category, Channel, ID, Role, Sticker, StickerPack, Status } from './types.gen';
