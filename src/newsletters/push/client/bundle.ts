// The push opt-in button's script (opt-in.ts), bundled and served by the shared reader-script builder.
import { readerScript } from '../../../web/reader-script.ts';

export const pushOptInScript = readerScript(import.meta.url, 'opt-in', 'push');
