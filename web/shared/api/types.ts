// API shapes that the operator app and the admin cabinet see identically (docs/openapi.yaml is
// authoritative; the Go structs in internal/livedesk/model.go are the source of truth). Each
// app's api/types.ts re-exports these next to its own shapes.

/** Opaque id: a decimal string. */
export type ID = string;

export type Status = 'available' | 'pause' | 'away' | 'offline';
export type Role = 'operator' | 'supervisor' | 'admin';
export type Channel = 'webchat' | 'email';

/** A conversation category (and, in the cabinet, a quick-message category). */
export interface Category {
  id: ID;
  name: string;
  position: number;
}

// A sticker and a pack as the API gives them; the shape the shared picker (and the widget) use.
export type { Sticker, StickerPack } from '../media/Picker';
