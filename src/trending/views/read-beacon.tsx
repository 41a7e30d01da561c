// What an article page carries for counting its reads behind the page cache: the placement to count, the
// small same-origin script that sends the beacon (the CSP allows only 'self' scripts, none inline), and an
// image fallback for readers without JavaScript. No cookie, no third party.
import { READ_SCRIPT_PATH } from '../assets.ts';

export function ReadBeacon({ placementId }: { placementId: number }) {
  return (
    <>
      <div hidden data-dl-read={String(placementId)} />
      <script src={READ_SCRIPT_PATH} defer />
      <noscript>
        <img class="read-pixel" src={`/b.gif?p=${placementId}`} alt="" width={1} height={1} />
      </noscript>
    </>
  );
}
