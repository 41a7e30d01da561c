// Wire pictures: fetched and stored in the media library once per version, before the transaction that
// applies their story opens (fetching is the slow, external part of ingest). A picture that cannot be fetched
// is a warning, never a lost story; a new version of a picture replaces it in every story that shows it; a
// cancelled one is removed from all of them and remembered, so it is never shown again.
import { isDatelineError } from '../errors/catalogue.ts';
import { writeWireAudit } from './audit.ts';
import { ReadFailure, type ReadLimits, readRendition } from './fetch.ts';
import { INGEST_CODE } from './ingest-outcomes.ts';
import type { IngesterDeps, ItemEntry, Lead, Run } from './ingest-run.ts';
import type { ItemOutcome } from './model.ts';
import { compareVersions } from './parse/index.ts';
import type { WirePicture } from './parse/types.ts';
import {
  clearLeadPicture,
  findPicture,
  findStoryHead,
  savePicture,
  storiesUsingPicture,
  storyArticles,
} from './repository.ts';

/** Picture renditions in the order worth trying: images first, then the largest. */
function rankRenditions(p: WirePicture) {
  return p.renditions
    .map((r, i) => ({ r, i }))
    .sort((a, b) => {
      const img = (x: typeof a) => (x.r.contentType === null || x.r.contentType.startsWith('image/') ? 0 : 1);
      return img(a) - img(b) || (b.r.width ?? 0) - (a.r.width ?? 0) || a.i - b.i;
    })
    .map((x) => x.r);
}

export class WirePictures {
  constructor(
    private readonly deps: Pick<IngesterDeps, 'db' | 'articles' | 'media' | 'outbound' | 'now' | 'options'>,
  ) {}

  private get q() {
    return this.deps.db.kysely;
  }

  /** A picture sent on its own: stored once per version; a new version replaces it in every story using it. */
  async storePictureItem(run: Run, entry: ItemEntry): Promise<ItemOutcome> {
    const { item, source } = entry;
    const picture = item.pictures[0]!;
    const stored = await this.ensurePicture(run, picture, source, entry.allowFiles ?? false);
    const label = `${source} ${item.uri}`;
    if (!stored) {
      return {
        kind: 'rejected',
        file: source,
        item: item.uri,
        field: 'renditions',
        code: INGEST_CODE.picture,
        reason: `${label}: the picture could not be stored (see the warning above).`,
      };
    }
    return {
      kind: 'created',
      file: source,
      item: item.uri,
      field: null,
      code: null,
      reason: `${label}: picture stored in the media library (image ${stored.mediaId}); it appears with the stories that use it.`,
    };
  }

  /** The story's lead picture: the first usable one that can be stored. Cancelled ones are removed everywhere. */
  async leadPicture(run: Run, entry: ItemEntry): Promise<Lead | null> {
    let lead: Lead | null = null;
    for (const picture of entry.item.pictures) {
      if (picture.pubstatus !== 'usable') {
        await this.cancelPicture(run, picture.uri, entry.source);
        continue;
      }
      if (lead) continue;
      lead = await this.ensurePicture(run, picture, entry.source, entry.allowFiles ?? false);
    }
    return lead;
  }

  /** Cancels a picture by uri: it leaves every story that shows it. Returns how many articles lost it. */
  async cancelPicture(run: Run, uri: string, source: string): Promise<number> {
    const row = await findPicture(this.q, run.agency.id, uri);
    // Not seen yet: nothing to remove. A picture that arrives later finds the kill as a tombstone.
    if (!row || row.state === 'canceled') return 0;
    const removed = await this.replacePicture(run, row.id, row.mediaId, null, { uri, source });
    return removed.length;
  }

  private async ensurePicture(
    run: Run,
    picture: WirePicture,
    source: string,
    allowFiles: boolean,
  ): Promise<Lead | null> {
    const row = await findPicture(this.q, run.agency.id, picture.uri);
    if (row?.state === 'canceled') {
      this.pictureWarning(
        run,
        source,
        picture,
        `${source} ${picture.uri}: the agency cancelled this picture, so the story is shown without it.`,
      );
      return null;
    }
    const tomb = await findStoryHead(this.q, run.agency.id, picture.uri);
    if (tomb?.state === 'killed') {
      await savePicture(
        this.q,
        run.agency.id,
        picture.uri,
        { version: picture.version, state: 'canceled', mediaId: null },
        this.deps.now(),
      );
      this.pictureWarning(
        run,
        source,
        picture,
        `${source} ${picture.uri}: the agency cancelled this picture, so the story is shown without it.`,
      );
      return null;
    }
    const known = row && row.mediaId !== null ? { pictureId: row.id, mediaId: row.mediaId } : null;
    if (
      known &&
      compareVersions(
        { version: picture.version, versionCreated: null },
        { version: row!.version, versionCreated: null },
      ) <= 0
    ) {
      return known;
    }
    const limits: ReadLimits = {
      maxBytes: this.deps.options.maxPictureBytes,
      timeoutMs: this.deps.options.fetchTimeoutMs,
    };
    const failures: string[] = [];
    for (const rendition of rankRenditions(picture)) {
      let bytes: Buffer;
      try {
        bytes = await readRendition(this.deps.outbound, rendition.href, limits, allowFiles ? source : null);
      } catch (e) {
        failures.push(e instanceof ReadFailure ? e.message : String(e));
        continue;
      }
      try {
        const media = await this.deps.media.addImage(bytes, {
          caption: picture.caption ?? '',
          credit: picture.creditline ?? run.agency.credit,
          alt: picture.alt ?? '',
        });
        const pictureId = await savePicture(
          this.q,
          run.agency.id,
          picture.uri,
          { version: picture.version, state: 'stored', mediaId: media.id },
          this.deps.now(),
        );
        if (known && known.mediaId !== media.id)
          await this.replacePicture(run, pictureId, known.mediaId, media.id);
        return { pictureId, mediaId: media.id };
      } catch (e) {
        if (!isDatelineError(e)) throw e;
        failures.push(`${rendition.href}: ${e.message}`);
      }
    }
    this.pictureWarning(
      run,
      source,
      picture,
      `${source} ${picture.uri}: no rendition of the picture could be stored (${failures.join('; ') || 'it has no renditions'}). ${
        known ? 'The earlier version of the picture is kept.' : 'The story was ingested without it.'
      } Ask the agency to resend the picture, then ingest the story again.`,
    );
    return known;
  }

  private pictureWarning(run: Run, source: string, picture: WirePicture, message: string) {
    run.warnings.push({
      file: source,
      item: picture.uri,
      field: 'renditions',
      code: INGEST_CODE.picture,
      message,
    });
    run.problems.push({
      agencyId: run.agency.id,
      source,
      item: picture.uri,
      field: 'renditions',
      code: INGEST_CODE.picture,
      severity: 'warning',
      message,
    });
  }

  /**
   * Swaps picture `pictureId` (stored as `oldMediaId`) for `newMediaId` in every article that shows it.
   * With `cancel`, the picture is removed (null) and marked cancelled, and the removal is audit-logged.
   */
  private async replacePicture(
    run: Run,
    pictureId: number,
    oldMediaId: number | null,
    newMediaId: number | null,
    cancel?: { uri: string; source: string },
  ): Promise<number[]> {
    const targets: number[] = [];
    if (oldMediaId !== null) {
      for (const storyId of await storiesUsingPicture(this.q, pictureId)) {
        for (const l of await storyArticles(this.q, storyId)) {
          const found = await this.deps.articles.get(l.articleId);
          if (found && found.article.status !== 'taken_down' && found.article.leadMediaId === oldMediaId)
            targets.push(l.articleId);
        }
      }
    }
    await this.deps.articles.inTransaction(async (unit) => {
      for (const id of targets)
        await this.deps.articles.update(id, { leadMediaId: newMediaId }, run.actor, unit);
      if (cancel) {
        await savePicture(
          unit.trx,
          run.agency.id,
          cancel.uri,
          { version: null, state: 'canceled', mediaId: oldMediaId },
          this.deps.now(),
        );
        await clearLeadPicture(unit.trx, pictureId);
        await writeWireAudit(unit, run.actor, 'wire.picture_canceled', pictureId, {
          agency: run.agency.slug,
          uri: cancel.uri,
          media: oldMediaId,
          articles: targets,
          source: cancel.source,
        });
      }
    });
    return targets;
  }
}
