// The reader's comment script (client/thread.ts), bundled and served by the shared reader-script builder.
// Reader pages load this script alone: the admin's scripts are bundled separately (src/admin/client/).
import { readerScript } from '../../web/reader-script.ts';

export const clientScript = readerScript(import.meta.url, 'thread', 'comments');
