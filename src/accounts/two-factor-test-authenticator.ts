// A software WebAuthn authenticator for tests (never used by the app): a P-256 key made with node:crypto,
// and by hand the structures a browser hands back from navigator.credentials.create() (attestation "none")
// and .get() (an assertion signed over authenticator data and the client data's hash), in the JSON form
// @simplewebauthn/browser sends. Each field can be spoiled (origin, challenge, counter, signature) so tests
// can check every refusal. The CBOR it needs (maps, byte and text strings, small integers) is written here.
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

type Cbor = number | string | Uint8Array | Cbor[] | Map<Cbor, Cbor>;

function cborHead(major: number, n: number): Buffer {
  if (n < 24) return Buffer.from([(major << 5) | n]);
  if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
  if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
  const b = Buffer.alloc(5);
  b[0] = (major << 5) | 26;
  b.writeUInt32BE(n, 1);
  return b;
}

export function cbor(v: Cbor): Buffer {
  if (typeof v === 'number') return v >= 0 ? cborHead(0, v) : cborHead(1, -1 - v);
  if (typeof v === 'string') {
    const bytes = Buffer.from(v, 'utf8');
    return Buffer.concat([cborHead(3, bytes.length), bytes]);
  }
  if (v instanceof Uint8Array) return Buffer.concat([cborHead(2, v.length), v]);
  if (Array.isArray(v)) return Buffer.concat([cborHead(4, v.length), ...v.map(cbor)]);
  return Buffer.concat([cborHead(5, v.size), ...[...v].flatMap(([k, x]) => [cbor(k), cbor(x)])]);
}

const b64url = (b: Uint8Array | string) => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string) => createHash('sha256').update(b).digest();

const FLAG_USER_PRESENT = 0x01;
const FLAG_USER_VERIFIED = 0x04;
const FLAG_ATTESTED_DATA = 0x40;

export interface CeremonyOptions {
  /** The challenge from the server's options (base64url). */
  challenge: string;
  /** Where the browser says the page was; the server expects the admin's origin. */
  origin: string;
  /** The relying party's id; its SHA-256 heads the authenticator data. */
  rpId: string;
}

export interface Spoil {
  /** Sign with another key than the registered one. */
  otherKey?: boolean;
  /** Report this signature counter instead of the next one. */
  counter?: number;
  /** Claim the wrong ceremony type in the client data. */
  type?: string;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;
  /** The signature counter; each assertion reports one more. */
  counter = 0;

  constructor() {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
  }

  get id(): string {
    return b64url(this.credentialId);
  }

  /** The public key as COSE_Key: EC2, ES256, P-256, x and y. */
  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x!, 'base64url')],
        [-3, Buffer.from(jwk.y!, 'base64url')],
      ]),
    );
  }

  private clientData(type: string, o: CeremonyOptions): Buffer {
    return Buffer.from(
      JSON.stringify({ type, challenge: o.challenge, origin: o.origin, crossOrigin: false }),
    );
  }

  private counterBytes(n: number): Buffer {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(n);
    return b;
  }

  /** What navigator.credentials.create() answers, as @simplewebauthn/browser sends it. */
  register(o: CeremonyOptions, spoil: Spoil = {}) {
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const authData = Buffer.concat([
      sha256(o.rpId),
      Buffer.from([FLAG_USER_PRESENT | FLAG_USER_VERIFIED | FLAG_ATTESTED_DATA]),
      this.counterBytes(spoil.counter ?? this.counter),
      Buffer.alloc(16), // AAGUID: none for attestation "none"
      idLength,
      this.credentialId,
      this.coseKey(),
    ]);
    const attestationObject = cbor(
      new Map<Cbor, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(this.clientData(spoil.type ?? 'webauthn.create', o)),
        attestationObject: b64url(attestationObject),
        transports: ['internal' as const],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }

  /** What navigator.credentials.get() answers: authenticator data and a signature over it and the client data. */
  assert(o: CeremonyOptions, spoil: Spoil = {}) {
    const counter = spoil.counter ?? this.counter + 1;
    if (spoil.counter === undefined) this.counter = counter;
    const authData = Buffer.concat([
      sha256(o.rpId),
      Buffer.from([FLAG_USER_PRESENT]),
      this.counterBytes(counter),
    ]);
    const clientDataJSON = this.clientData(spoil.type ?? 'webauthn.get', o);
    const key = spoil.otherKey
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey
      : this.privateKey;
    // ES256 signatures are DER-encoded, which is what node:crypto gives for EC keys.
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), key);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform' as const,
    };
  }
}
