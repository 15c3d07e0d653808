// The widget's CSS, scoped by its shadow root. `all: initial` on the host stops the page's
// inherited styles (font, colour, line height) from leaking in.

import { mediaCss } from '../../shared/media/css';
import { ratingCss } from './rating';

export let css = `
:host{all:initial;--ld-accent:#2563eb;--ld-on-accent:#fff}
*,*::before,*::after{box-sizing:border-box}
.ld-root{position:fixed;bottom:20px;z-index:2147483000;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"Noto Sans",sans-serif;color:#1f2937;-webkit-font-smoothing:antialiased;text-align:left}
.ld-right{right:20px}.ld-left{left:20px}
button,input,textarea{font:inherit;color:inherit;margin:0}
button{cursor:pointer}
:focus-visible{outline:2px solid var(--ld-accent);outline-offset:2px}
.ld-launcher{position:relative;width:60px;height:60px;border-radius:50%;border:0;background:var(--ld-accent);color:var(--ld-on-accent);display:flex;align-items:center;justify-content:center;box-shadow:0 6px 20px rgba(15,23,42,.28);transition:transform .15s ease,box-shadow .15s ease}
.ld-launcher:hover{transform:scale(1.06);box-shadow:0 8px 26px rgba(15,23,42,.32)}
.ld-launcher:focus-visible{outline:3px solid #fff;box-shadow:0 0 0 6px var(--ld-accent)}
.ld-left .ld-launcher{margin-right:auto}.ld-right .ld-launcher{margin-left:auto}
.ld-badge{position:absolute;top:-3px;right:-3px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#dc2626;color:#fff;font-size:12px;font-weight:700;line-height:22px;text-align:center;border:2px solid #fff}
.ld-window{position:absolute;bottom:76px;width:392px;height:min(600px,calc(100vh - 116px));display:flex;flex-direction:column;background:#fff;border-radius:18px;overflow:hidden;box-shadow:0 18px 50px rgba(15,23,42,.25),0 2px 8px rgba(15,23,42,.12);animation:ld-in .18s ease-out}
.ld-right .ld-window{right:0}.ld-left .ld-window{left:0}
@keyframes ld-in{from{opacity:0;transform:translateY(12px) scale(.98)}to{opacity:1;transform:none}}
@media (prefers-reduced-motion:reduce){.ld-window{animation:none}.ld-launcher{transition:none}}
.ld-header{display:flex;align-items:center;gap:8px;padding:14px 10px 14px 14px;background:var(--ld-accent);color:var(--ld-on-accent)}
.ld-avatar{flex:none;width:38px;height:38px;border-radius:50%;background:rgba(255,255,255,.22);display:flex;align-items:center;justify-content:center;font-weight:700;font-size:14px}
.ld-avatar svg{width:22px;height:22px}
.ld-heading{flex:1;min-width:0}
.ld-title{margin:0;font-size:15.5px;font-weight:650;line-height:1.25;display:-webkit-box;-webkit-line-clamp:2;-webkit-box-orient:vertical;overflow:hidden;overflow-wrap:anywhere}
.ld-status{margin:2px 0 0;font-size:12.5px;line-height:1.3;opacity:.94;display:flex;align-items:baseline;gap:6px}
.ld-status-text{white-space:nowrap;overflow:hidden;text-overflow:ellipsis;min-width:0}
.ld-dot{flex:none;width:8px;height:8px;border-radius:50%;background:#9ca3af;border:1px solid rgba(255,255,255,.6);transform:translateY(-1px)}
.ld-dot-on{background:#22c55e}.ld-dot-wait{background:#facc15}.ld-dot-off{background:#d1d5db}
.ld-icon-btn{flex:none;width:34px;height:34px;border-radius:10px;border:0;background:transparent;color:inherit;display:flex;align-items:center;justify-content:center}
.ld-icon-btn:hover{background:rgba(255,255,255,.18)}
.ld-confirm{display:flex;align-items:center;gap:8px;flex-wrap:wrap;padding:10px 14px;background:#fff7ed;border-bottom:1px solid #fed7aa;font-size:13.5px}
.ld-confirm span{flex:1;min-width:120px}
.ld-messages{flex:1;overflow-y:auto;padding:16px 14px 8px;background:#f5f6f8;display:flex;flex-direction:column;gap:2px;overscroll-behavior:contain}
.ld-messages:focus-visible{outline-offset:-2px}
.ld-msg{display:flex;flex-direction:column;max-width:82%;margin-top:6px}
.ld-msg-own{align-self:flex-end;align-items:flex-end}
.ld-msg-operator{align-self:flex-start;align-items:flex-start}
.ld-name{font-size:12px;color:#6b7280;margin:0 0 3px 10px}
.ld-bubble{padding:9px 13px;border-radius:16px;white-space:pre-wrap;word-wrap:break-word;overflow-wrap:anywhere}
.ld-msg-own .ld-bubble{background:var(--ld-accent);color:var(--ld-on-accent);border-bottom-right-radius:5px}
.ld-msg-operator .ld-bubble{background:#fff;border:1px solid #e5e7eb;border-bottom-left-radius:5px}
.ld-d-sending .ld-bubble,.ld-d-queued .ld-bubble{opacity:.72}
.ld-d-failed .ld-bubble{background:#fff;color:#991b1b;border:1px solid #fca5a5}
.ld-meta{display:flex;gap:6px;align-items:center;font-size:11.5px;color:#6b7280;margin:3px 6px 0}
.ld-d-failed .ld-delivery{color:#b91c1c;font-weight:600}
.ld-retry{border:0;background:none;color:var(--ld-accent);font-weight:600;font-size:12px;padding:0;text-decoration:underline}
.ld-quote{margin:0 0 3px;padding:5px 10px;border:1px solid #e5e7eb;border-left:3px solid var(--ld-accent);border-radius:10px 10px 10px 4px;background:#fff;color:#4b5563;font-size:12.5px;max-width:100%;display:flex;flex-direction:column;gap:1px}
.ld-quote-author{font-weight:600;color:#374151}
.ld-quote-text{white-space:pre-wrap;overflow:hidden;display:-webkit-box;-webkit-line-clamp:3;-webkit-box-orient:vertical;overflow-wrap:anywhere}
.ld-system{align-self:center;margin:10px 0 4px;padding:4px 12px;border-radius:999px;background:#e8eaee;color:#4b5563;font-size:12px;text-align:center;max-width:90%}
.ld-note{align-self:center;margin:10px 4px 4px;padding:8px 12px;border-radius:12px;background:#ecfdf5;color:#065f46;font-size:13px;text-align:center}
.ld-older{align-self:center;border:1px solid #d1d5db;background:#fff;border-radius:999px;padding:5px 12px;font-size:12.5px;color:#374151;margin-bottom:6px}
.ld-typing .ld-bubble{display:flex;gap:4px;padding:12px 14px}
.ld-typing span{width:7px;height:7px;border-radius:50%;background:#9ca3af;animation:ld-blink 1.2s infinite ease-in-out}
.ld-typing span:nth-child(2){animation-delay:.2s}.ld-typing span:nth-child(3){animation-delay:.4s}
@keyframes ld-blink{0%,80%,100%{opacity:.3;transform:translateY(0)}40%{opacity:1;transform:translateY(-2px)}}
.ld-card{margin:12px 2px 4px;padding:12px;border-radius:14px;background:#fff;border:1px solid #e5e7eb;display:flex;flex-direction:column;gap:8px;box-shadow:0 1px 2px rgba(15,23,42,.05)}
.ld-hint{font-size:12.5px;color:#6b7280;margin-top:-4px}
.ld-row{display:flex;gap:8px}
.ld-input{width:100%;padding:9px 11px;border:1px solid #d1d5db;border-radius:10px;background:#fff;outline:none;resize:none}
.ld-input:focus{border-color:var(--ld-accent);box-shadow:0 0 0 3px color-mix(in srgb,var(--ld-accent) 22%,transparent)}
.ld-btn{border:1px solid #d1d5db;background:#fff;border-radius:10px;padding:7px 14px;font-weight:600;font-size:13.5px}
.ld-btn:hover{background:#f9fafb}
.ld-btn-primary{background:var(--ld-accent);border-color:var(--ld-accent);color:var(--ld-on-accent)}
.ld-btn-primary:hover{background:var(--ld-accent);filter:brightness(1.08)}
.ld-btn:disabled{opacity:.5;cursor:default;filter:none}
.ld-btn-wide{width:100%;padding:10px}
.ld-composer{display:flex;align-items:flex-end;gap:8px;padding:10px 10px 10px 14px;border-top:1px solid #e5e7eb;background:#fff}
.ld-textarea{flex:1;border:0;outline:none;resize:none;padding:9px 0;max-height:120px;line-height:1.4;background:transparent}
.ld-send{flex:none;width:40px;height:40px;border-radius:50%;border:0;background:var(--ld-accent);color:var(--ld-on-accent);display:flex;align-items:center;justify-content:center;transition:opacity .15s}
.ld-send:disabled{opacity:.35;cursor:default}
.ld-offline{flex:1;overflow-y:auto;padding:20px 18px;display:flex;flex-direction:column;gap:10px;background:#f5f6f8}
.ld-offline-compact{flex:none;padding:12px 14px;border-top:1px solid #e5e7eb;background:#fff}
.ld-offline-title{font-size:15.5px}
.ld-offline-text{min-height:84px}
.ld-offline-compact .ld-offline-text{min-height:52px}
.ld-error{color:#b91c1c;font-size:13px}
.ld-footer{padding:5px;text-align:center;font-size:11px;color:#9ca3af;background:#fff;border-top:1px solid #f1f2f4}
@media (max-width:480px){
  .ld-root{bottom:14px}.ld-right{right:14px}.ld-left{left:14px}
  .ld-window{position:fixed;inset:0;width:auto;height:auto;border-radius:0;bottom:0}
  .ld-launcher-open{display:none}
}
`;

// Stickers, files and the emoji window (shared/media), fitted to the widget.
css += mediaCss + `
:host{--md-accent:var(--ld-accent)}
.ld-composer{position:relative;flex-wrap:wrap;padding-left:6px}
.ld-files{flex:0 0 100%;padding:0 4px}
.ld-tool{flex:none;width:36px;height:40px;border:0;border-radius:10px;background:none;color:#6b7280;display:flex;align-items:center;justify-content:center}
.ld-tool:hover,.ld-tool-on{background:#f3f4f6;color:#111827}
.ld-composer .mp{right:8px;bottom:calc(100% + 4px);width:356px;height:360px}
.ld-msg .md-sticker{width:120px;height:120px}
.ld-msg-own .md-files{justify-content:flex-end}
.ld-msg .md-thumb{width:150px;height:112px}
.ld-msg .md-card{min-width:180px;max-width:250px}
@media (max-width:480px){.ld-composer .mp{left:4px;right:4px;width:auto}}
` + ratingCss;
