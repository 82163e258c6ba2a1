import type {ArchivePage, ProviderArchive, SessionRef} from '../types';
import {VideoProviderError} from '../video-provider.error';
import {expectOk, isRecord, malformedReply, zoomErrorCode, zoomMessage, ZoomRestClient} from './zoom-rest.client';
import {completedStatus, toArchiveUpdate, ZoomRecording} from './zoom-recording.mapper';
import {zoomPathSegment} from './zoom-session-name';

/** Lifetime asked of a fresh `download_access_token` (`ttl`, seconds): capabilities.recordingUrlTtlSeconds. */
export const ZOOM_DOWNLOAD_TOKEN_TTL_SECONDS = 3600;
/** How far back `listArchives` looks: `GET /videosdk/recordings` needs a `from` date, and lists at most a month. */
export const ZOOM_RECORDING_LOOKBACK_DAYS = 30;
const RECORDING_PAGE_SIZE = 300;
/** "The recording is still in progress": Zoom answers 400 with this code (as our emulator does) while recording. */
const STILL_RECORDING_CODE = 3303;

/** Cloud recordings of the Video SDK API (provider-facts §B4); one archive per session instance. */
export class ZoomRecordingsClient {
  constructor(
    private readonly rest: ZoomRestClient,
    private readonly nowMs: () => number,
  ) {}

  /** With a fresh download token in every file's URL. */
  async getArchive(archiveId: string): Promise<ProviderArchive> {
    const body = await this.rest.call('recording get', {
      method: 'GET',
      path: `/videosdk/sessions/${zoomPathSegment(archiveId)}/recordings`,
      query: {include_fields: 'download_access_token', ttl: String(ZOOM_DOWNLOAD_TOKEN_TTL_SECONDS)},
    });
    if (!isRecord(body)) throw malformedReply('recording get', 'the reply was not a JSON object');
    const recording = body as ZoomRecording & {id?: unknown; download_access_token?: unknown};
    const token = typeof recording.download_access_token === 'string' ? recording.download_access_token : null;
    const sessionId = typeof recording.id === 'string' && recording.id ? recording.id : archiveId;
    return this.toArchive(recording, sessionId, token, 'recording get');
  }

  /**
   * The session's recordings from the account's list (`GET /videosdk/recordings`), which also shows ones
   * whose webhooks were missed, over the last 30 days. The cursor carries Zoom's `next_page_token` with
   * the window, so every page reads the same dates.
   */
  async listArchives(session: SessionRef, cursor?: string | null): Promise<ArchivePage> {
    const position = decodeCursor(cursor) ?? {...this.window(), token: undefined};
    const body = await this.rest.call('recording list', {
      method: 'GET',
      path: '/videosdk/recordings',
      query: {from: position.from, to: position.to, page_size: String(RECORDING_PAGE_SIZE), next_page_token: position.token},
    });
    if (!isRecord(body) || !Array.isArray(body.sessions)) throw malformedReply('recording list', 'the reply held no sessions');
    const name = session.sessionName?.toLowerCase();
    // Zoom compares session names case-insensitively; an instance of our session is named like it.
    const ours = (body.sessions as ZoomRecording[]).filter(
      r =>
        isRecord(r) &&
        (r.session_id === session.sessionId || (name !== undefined && typeof r.session_name === 'string' && r.session_name.toLowerCase() === name)),
    );
    const next = typeof body.next_page_token === 'string' && body.next_page_token !== '' ? body.next_page_token : null;
    return {
      items: ours.map(r => this.toArchive(r, session.sessionId, null, 'recording list')),
      nextCursor: next ? encodeCursor({from: position.from, to: position.to, token: next}) : null,
    };
  }

  /** Deleted for good (`action=delete`, not the trash); `PROVIDER_CONFLICT` while it is still recording. */
  async deleteArchive(archiveId: string): Promise<void> {
    const reply = await this.rest.send('recording delete', {
      method: 'DELETE',
      path: `/videosdk/sessions/${zoomPathSegment(archiveId)}/recordings`,
      query: {action: 'delete'},
    });
    if (
      reply.status === 409 ||
      (reply.status === 400 && (zoomErrorCode(reply.body) === STILL_RECORDING_CODE || STILL_RECORDING.test(zoomMessage(reply.body))))
    ) {
      throw new VideoProviderError({
        provider: 'zoom',
        code: 'PROVIDER_CONFLICT',
        status: reply.status,
        message: 'zoom recording delete failed: it is still being recorded',
      });
    }
    expectOk('recording delete', reply);
  }

  private toArchive(recording: ZoomRecording, sessionId: string, token: string | null, operation: string): ProviderArchive {
    const update = toArchiveUpdate(recording, completedStatus(recording), token, new Date(this.nowMs()));
    if (!update) throw malformedReply(operation, 'a recording lacks its session_id');
    return {...update, sessionId};
  }

  /** `from`/`to` are dates (UTC); `to` is tomorrow so a recording finished today, in any time zone, is in. */
  private window(): {from: string; to: string} {
    const day = 24 * 3600 * 1000;
    const now = this.nowMs();
    return {from: isoDate(now - ZOOM_RECORDING_LOOKBACK_DAYS * day), to: isoDate(now + day)};
  }
}

const STILL_RECORDING = /in progress|still (being )?record/i;

interface ListPosition {
  from: string;
  to: string;
  token?: string;
}

function encodeCursor(position: ListPosition): string {
  return Buffer.from(JSON.stringify(position), 'utf8').toString('base64url');
}

/** A cursor we did not write starts over from the first page. */
function decodeCursor(cursor: string | null | undefined): ListPosition | null {
  if (!cursor) return null;
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>;
    const dated = (value: unknown) => typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value);
    if (!dated(parsed.from) || !dated(parsed.to) || typeof parsed.token !== 'string') return null;
    return {from: parsed.from as string, to: parsed.to as string, token: parsed.token};
  } catch {
    return null;
  }
}

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}
