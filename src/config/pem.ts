/**
 * PEM blocks as Kafka accepts them in `ssl.truststore.certificates`, `ssl.keystore.key`,
 * `ssl.keystore.certificate.chain` and PEM store files. Kafka ignores whitespace inside the base64
 * body, so operators often write a PEM value on one properties line (continuations drop the line
 * breaks); Node's TLS wants the canonical form, so each block is re-wrapped at 64 columns.
 * Invariants: text outside BEGIN/END markers is ignored; a block with RFC 1421 headers
 * (`Proc-Type: 4,ENCRYPTED`) is kept byte-for-byte; nothing here ever reports block content.
 */

export interface PemBlock {
  /** `CERTIFICATE`, `PRIVATE KEY`, `ENCRYPTED PRIVATE KEY`, `RSA PRIVATE KEY`, … */
  label: string;
  /** The block in canonical PEM form, ending with a newline. */
  pem: string;
  /** True for an encrypted private key (PKCS#8 or legacy OpenSSL headers). */
  encrypted: boolean;
}

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export function pemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(BLOCK)) {
    const label = match[1] as string;
    const body = match[2] as string;
    const hasHeaders = body.includes(':');
    const base64 = body.replace(/\s+/g, '');
    const pem = hasHeaders
      ? `${match[0]}\n`
      : `-----BEGIN ${label}-----\n${(base64.match(/.{1,64}/g) ?? []).join('\n')}\n-----END ${label}-----\n`;
    blocks.push({ label, pem, encrypted: label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,\s*ENCRYPTED/.test(body) });
  }
  return blocks;
}

export const isCertificate = (block: PemBlock): boolean => block.label === 'CERTIFICATE' || block.label === 'TRUSTED CERTIFICATE';
export const isPrivateKey = (block: PemBlock): boolean => block.label.endsWith('PRIVATE KEY');

/** The certificates of `text`, concatenated in canonical form (empty string when there are none). */
export function certificatesPem(text: string): string {
  return pemBlocks(text)
    .filter(isCertificate)
    .map((b) => b.pem)
    .join('');
}
