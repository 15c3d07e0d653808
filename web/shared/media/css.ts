// CSS of the shared media parts. The operator app adds it to the document, the widget to its
// shadow root. --md-accent follows each app's accent colour.

export const mediaCss = `
.mp{position:absolute;bottom:calc(100% + 6px);right:0;z-index:40;width:352px;max-width:calc(100vw - 24px);height:380px;display:flex;flex-direction:column;background:#fff;color:#1f2937;border:1px solid #e3e7ed;border-radius:14px;box-shadow:0 12px 40px rgba(20,30,50,.22);overflow:hidden;font-size:14px;line-height:1.4;text-align:left}
.mp-tabs{display:flex;gap:4px;padding:6px 6px 0;border-bottom:1px solid #eef0f4}
.mp-tab{flex:1;border:0;background:none;padding:8px 6px;border-bottom:2px solid transparent;font-weight:600;color:#5b6678;cursor:pointer;font:inherit;font-weight:600}
.mp-tab:hover{color:#1f2937}
.mp-tab-on{color:var(--md-accent,#2f6fed);border-bottom-color:var(--md-accent,#2f6fed)}
.mp-pane{flex:1;display:flex;flex-direction:column;min-height:0}
.mp-bar{display:flex;gap:6px;padding:8px 8px 4px;align-items:center}
.mp-search{flex:1;min-width:0;height:34px;border:1px solid #cfd6df;border-radius:8px;padding:0 10px;font:inherit;background:#fff;color:inherit}
.mp-search:focus{outline:2px solid var(--md-accent,#2f6fed);outline-offset:-1px;border-color:transparent}
.mp-tone-wrap{position:relative}
.mp-tone{width:34px;height:34px;border:1px solid #cfd6df;border-radius:8px;background:#fff;font-size:18px;cursor:pointer;padding:0}
.mp-tones{position:absolute;right:0;top:38px;z-index:2;display:flex;gap:2px;padding:4px;background:#fff;border:1px solid #e3e7ed;border-radius:10px;box-shadow:0 6px 20px rgba(20,30,50,.16)}
.mp-tones .mp-e[aria-selected=true]{background:#e9f0fe}
.mp-cats{display:flex;gap:2px;padding:0 6px 4px;border-bottom:1px solid #eef0f4}
.mp-cat{flex:1;height:30px;border:0;border-radius:6px;background:none;font-size:17px;cursor:pointer;padding:0;filter:grayscale(.35)}
.mp-cat:hover,.mp-cat:focus-visible{background:#f1f3f7;filter:none}
.mp-body{flex:1;overflow-y:auto;padding:4px 8px 8px;overscroll-behavior:contain}
.mp-section{content-visibility:auto;contain-intrinsic-size:auto 400px}
.mp-h{position:sticky;top:-4px;margin:0;padding:6px 2px 4px;background:rgba(255,255,255,.96);font-size:12px;font-weight:600;color:#5b6678;z-index:1}
.mp-h::first-letter{text-transform:uppercase}
.mp-grid{display:grid;grid-template-columns:repeat(8,1fr);gap:2px}
.mp-e{height:38px;min-width:34px;border:0;border-radius:8px;background:none;font-size:24px;line-height:1;cursor:pointer;padding:0;font-family:"Apple Color Emoji","Segoe UI Emoji","Noto Color Emoji",sans-serif}
.mp-e:hover,.mp-e:focus-visible{background:#eef2f8;outline:none}
.mp-e:focus-visible{box-shadow:inset 0 0 0 2px var(--md-accent,#2f6fed)}
.mp-note{padding:24px 12px;text-align:center;color:#5b6678}
.mp-link{border:0;background:none;color:var(--md-accent,#2f6fed);text-decoration:underline;cursor:pointer;font:inherit;padding:0}
.mp-sgrid{display:grid;grid-template-columns:repeat(4,1fr);gap:6px;padding-bottom:6px}
.mp-s{aspect-ratio:1;border:0;border-radius:10px;background:none;padding:4px;cursor:pointer}
.mp-s:hover,.mp-s:focus-visible{background:#eef2f8;outline:none}
.mp-s:focus-visible{box-shadow:inset 0 0 0 2px var(--md-accent,#2f6fed)}
.mp-s img,.mp-s .mp-img-wait{width:100%;height:100%;object-fit:contain;display:block}
.mp-img-wait{display:inline-block;background:#f1f3f7;border-radius:8px}
.md-sticker{width:140px;height:140px}
.md-sticker img,.md-sticker .mp-img-wait{width:100%;height:100%;object-fit:contain;display:block}
.md-files{display:flex;flex-wrap:wrap;align-items:flex-start;gap:6px;margin:4px 0 2px}
.md-thumb{display:block;border:1px solid #e3e7ed;border-radius:10px;padding:0;overflow:hidden;background:#f7f8fa;cursor:zoom-in;width:160px;height:120px}
.md-thumb img,.md-thumb .mp-img-wait{width:100%;height:100%;object-fit:cover;display:block}
.md-card{display:flex;align-items:center;gap:8px;padding:8px 8px 8px 10px;border:1px solid #e3e7ed;border-radius:10px;background:#fff;color:#1f2937;min-width:200px;max-width:280px}
.md-card svg{flex:none;color:#5b6678}
.md-card-text{flex:1;min-width:0;display:flex;flex-direction:column}
.md-name{font-weight:600;white-space:nowrap;overflow:hidden;text-overflow:ellipsis;font-size:13px}
.md-sub{font-size:12px;color:#5b6678}
.md-expired{background:#f7f8fa;color:#5b6678}
.md-expired .md-sub{color:#a04a00;white-space:normal}
.md-dl{flex:none;width:32px;height:32px;border:0;border-radius:8px;background:#eef2f8;color:#1f2937;display:flex;align-items:center;justify-content:center;cursor:pointer}
.md-dl:hover{background:#e2e8f3}
.md-lightbox{position:fixed;inset:0;z-index:2147483001;background:rgba(10,15,25,.82);display:flex;align-items:center;justify-content:center;padding:24px}
.md-lb-fig{margin:0;display:flex;flex-direction:column;align-items:center;gap:10px;max-width:100%;max-height:100%}
.md-lb-img{max-width:min(92vw,1200px);max-height:calc(100vh - 120px);object-fit:contain;border-radius:6px;background:#fff}
.md-lb-cap{display:flex;align-items:center;gap:10px;color:#fff;background:rgba(0,0,0,.35);padding:6px 10px;border-radius:10px;max-width:92vw}
.md-lb-cap .md-sub{color:#cfd6df}
.md-lb-btn{display:inline-flex;align-items:center;gap:4px;border:1px solid rgba(255,255,255,.35);border-radius:8px;background:none;color:#fff;padding:4px 10px;cursor:pointer;font:inherit}
.md-lb-btn:hover{background:rgba(255,255,255,.12)}
.md-chips{list-style:none;margin:0 0 8px;padding:0;display:flex;flex-wrap:wrap;gap:6px}
.md-chip{position:relative;display:flex;align-items:center;gap:8px;padding:5px 4px 5px 5px;border:1px solid #e3e7ed;border-radius:10px;background:#f7f8fa;max-width:240px;overflow:hidden}
.md-chip-failed{border-color:#f0b4b4;background:#fdeeee}
.md-chip-img,.md-chip-icon{flex:none;width:34px;height:34px;border-radius:6px;object-fit:cover;display:flex;align-items:center;justify-content:center;background:#fff;color:#5b6678}
.md-chip-text{min-width:0;display:flex;flex-direction:column}
.md-progress{position:absolute;left:0;right:0;bottom:0;height:3px;background:#e3e7ed}
.md-progress i{display:block;height:100%;background:var(--md-accent,#2f6fed);transition:width .15s}
.md-chip-x{flex:none;width:24px;height:24px;border:0;border-radius:6px;background:none;color:#5b6678;font-size:18px;line-height:1;cursor:pointer}
.md-chip-x:hover{background:#e3e7ed;color:#1f2937}
.md-error{color:#b42318;font-size:12.5px;margin:0 0 6px}
.md-drop{position:absolute;inset:0;z-index:30;display:flex;align-items:center;justify-content:center;border:2px dashed var(--md-accent,#2f6fed);border-radius:12px;background:rgba(233,240,254,.92);color:var(--md-accent,#2f6fed);font-weight:600;pointer-events:none}
`;
