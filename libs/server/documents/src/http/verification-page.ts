import { portalDate, type VerificationDto } from '@portal/contracts';

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const COLOUR = { valid: '#1b7f3b', expired: '#9a6700', revoked: '#b22222' } as const;

/** The public verification page (server-rendered, no script, every value escaped). */
export function verificationPage(v: VerificationDto | undefined): string {
  const body = v
    ? `<h1>${escape(v.kindLabel)}</h1>
       <p class="status" style="color:${COLOUR[v.status]}">${escape(v.statusLabel)}</p>
       ${v.revokeReason ? `<p class="reason">撤销原因：${escape(v.revokeReason)}</p>` : ''}
       <dl>
         <dt>文件编号</dt><dd>${escape(v.serial)}</dd>
         <dt>签发机关</dt><dd>${escape(v.authority)}</dd>
         <dt>持有人</dt><dd>${escape(v.holderName)}</dd>
         <dt>签发日期</dt><dd>${portalDate(v.issuedAt)}</dd>
         <dt>有效期至</dt><dd>${v.validUntil ? portalDate(v.validUntil) : '长期'}</dd>
         <dt>文件哈希（SHA-256）</dt><dd class="hash">${escape(v.sha256)}</dd>
       </dl>
       <p class="hint">请核对所持 PDF 文件的 SHA-256 与上方一致。</p>`
    : `<h1>未找到该文件</h1><p>核验码无效，或文件不存在。</p>`;
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>文件核验 · 温州市产教融合平台</title>
<style>body{font-family:system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:560px;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.4rem;color:#b22222}.status{font-size:2rem;font-weight:700;margin:.5rem 0}dl{display:grid;grid-template-columns:8em 1fr;gap:.5rem}
dt{color:#666}.hash{font-family:monospace;word-break:break-all;font-size:.85rem}.hint,.reason{color:#555}footer{margin-top:2rem;color:#888;font-size:.8rem}</style>
</head><body>${body}<footer>温州市产教融合平台 · 文件核验</footer></body></html>`;
}
