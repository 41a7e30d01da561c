// Bytes to text for wire documents. Agencies still send ISO-8859-1 and UTF-16 XML, so a Buffer is decoded
// by BOM, then by the XML declaration's encoding, then as UTF-8; invalid bytes become U+FFFD rather than
// failing the whole file.

const XML_ENCODING = /^<\?xml[^>]*\bencoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']/;

function decoderFor(label: string): TextDecoder | null {
  try {
    return new TextDecoder(label);
  } catch {
    return null;
  }
}

export function decodeInput(input: string | Buffer): string {
  if (typeof input === 'string') return input.replace(/^\uFEFF/, '');
  if (input.length >= 2 && input[0] === 0xff && input[1] === 0xfe) {
    return new TextDecoder('utf-16le').decode(input.subarray(2));
  }
  if (input.length >= 2 && input[0] === 0xfe && input[1] === 0xff) {
    return new TextDecoder('utf-16be').decode(input.subarray(2));
  }
  if (input.length >= 3 && input[0] === 0xef && input[1] === 0xbb && input[2] === 0xbf) {
    return new TextDecoder('utf-8').decode(input.subarray(3));
  }
  // The declaration itself is ASCII in every ASCII-compatible encoding, so latin1 is safe for sniffing.
  const declared = XML_ENCODING.exec(input.subarray(0, 200).toString('latin1'))?.[1];
  // A readable ASCII declaration means the bytes are not UTF-16, whatever the declaration claims.
  const usable = declared !== undefined && !/^utf-?16/i.test(declared) ? decoderFor(declared) : null;
  const decoder = usable ?? new TextDecoder('utf-8');
  return decoder.decode(input);
}
