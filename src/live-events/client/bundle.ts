// The "Your time" script (your-time.ts, with the wording code it shares with the server), bundled and
// served by the shared reader-script builder.
import { readerScript } from '../../web/reader-script.ts';

export const yourTimeScript = readerScript(import.meta.url, 'your-time', 'live-events');
