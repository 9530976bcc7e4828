import CloudDoneIcon from '@mui/icons-material/CloudDone';
import CloudOffIcon from '@mui/icons-material/CloudOff';
import EditNoteIcon from '@mui/icons-material/EditNote';
import { Chip, CircularProgress, Tooltip } from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, errorStatus } from './api';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'invalid' | 'error';

export const AUTOSAVE_DELAY_MS = 800;

export interface AutosaveOptions<D, R extends { dataVersion: number }> {
  /** the record as loaded: the first draft and the version the first save is sent with */
  record: R;
  fromRecord: (r: R) => D;
  /** PUT the draft with the version last seen; answers the saved record */
  save: (draft: D, dataVersion: number) => Promise<R>;
  /** GET the record again (after a stale version) */
  reload: () => Promise<R>;
  /** a draft the server would refuse is not sent (status 'invalid') until it is completed */
  isValid?: (draft: D) => boolean;
  /** after each save or reload (the server's answer) */
  onSaved?: (answer: R) => void;
  onStatus?: (status: SaveStatus) => void;
  delayMs?: number;
}

/**
 * A form saved to the server as it is typed: a debounced PUT with the dataVersion last seen; one save at a time
 * (typing during a save is saved after it); a stale version (409, edited in another window) reloads the record
 * and says so; leaving the page with unsaved typing saves it and lets the browser warn on a reload.
 * `showProblems` turns true once a draft was held back as invalid, for the form to mark what is missing.
 */
export function useAutosave<D, R extends { dataVersion: number }>(opts: AutosaveOptions<D, R>) {
  const translate = useTranslate();
  const notify = useNotify();
  const { record, fromRecord, delayMs = AUTOSAVE_DELAY_MS } = opts;
  const [draft, setDraftState] = useState<D>(() => fromRecord(record));
  const [status, setStatusState] = useState<SaveStatus>('saved');
  const [error, setError] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const draftRef = useRef(draft);
  const versionRef = useRef(record.dataVersion);
  const dirtyRef = useRef(false);
  const savingRef = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // the latest callbacks, so that a save scheduled before a re-render calls the current ones
  const optsRef = useRef(opts);
  optsRef.current = opts;

  const setStatus = useCallback((s: SaveStatus) => {
    setStatusState(s);
    optsRef.current.onStatus?.(s);
  }, []);
  const valid = (d: D) => optsRef.current.isValid?.(d) ?? true;

  const flush = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (savingRef.current || !dirtyRef.current) return;
    const d = draftRef.current;
    const o = optsRef.current;
    if (!valid(d)) {
      setStatus('invalid');
      setShowProblems(true);
      return;
    }
    savingRef.current = true;
    dirtyRef.current = false;
    setStatus('saving');
    let again = true;
    try {
      const answer = await o.save(d, versionRef.current);
      versionRef.current = answer.dataVersion;
      setError(null);
      setStatus(dirtyRef.current ? 'dirty' : 'saved');
      optsRef.current.onSaved?.(answer);
    } catch (e) {
      const code = errorStatus(e);
      if (code === 409) {
        notify(`${errorMessage(e)}（${translate('app.cert.reloaded')}）`, { type: 'warning', autoHideDuration: 8000 });
        try {
          const fresh = await optsRef.current.reload();
          versionRef.current = fresh.dataVersion;
          draftRef.current = optsRef.current.fromRecord(fresh);
          setDraftState(draftRef.current);
          dirtyRef.current = false;
          setError(null);
          setStatus('saved');
          optsRef.current.onSaved?.(fresh);
        } catch (e2) {
          setError(errorMessage(e2));
          setStatus('error');
        }
      } else {
        dirtyRef.current = true;
        setError(errorMessage(e));
        setStatus('error');
        // a refusal (4xx) is not sent again as it is (an edit typed meanwhile, or the next one, is); a lost
        // connection or a 5xx is retried
        again = code === undefined || code >= 500 || draftRef.current !== d;
      }
    } finally {
      savingRef.current = false;
      if (again && dirtyRef.current && valid(draftRef.current)) timer.current = setTimeout(() => void flush(), delayMs);
    }
  }, [delayMs, notify, setStatus, translate]);

  const update = useCallback(
    (next: D) => {
      draftRef.current = next;
      setDraftState(next);
      dirtyRef.current = true;
      setStatus(valid(next) ? 'dirty' : 'invalid');
      clearTimeout(timer.current);
      timer.current = setTimeout(() => void flush(), delayMs);
    },
    [delayMs, flush, setStatus],
  );

  useEffect(() => {
    const warn = (e: BeforeUnloadEvent) => {
      if (dirtyRef.current || savingRef.current) e.preventDefault();
    };
    window.addEventListener('beforeunload', warn);
    return () => {
      window.removeEventListener('beforeunload', warn);
      if (dirtyRef.current) void flush();
    };
  }, [flush]);

  return { draft, update, status, error, showProblems, flush };
}

/** The status line of an autosaved form: 已保存 / 待保存 / 正在保存… / what is missing / 保存失败 (the reason on hover). */
export function SaveIndicator({ status, error, invalidText }: { status: SaveStatus; error?: string | null; invalidText?: string }) {
  const translate = useTranslate();
  const map = {
    saved: { icon: <CloudDoneIcon fontSize="small" />, colour: 'success' as const, text: translate('app.cert.saved') },
    dirty: { icon: <EditNoteIcon fontSize="small" />, colour: 'default' as const, text: translate('app.cert.unsaved') },
    saving: { icon: <CircularProgress size={14} />, colour: 'default' as const, text: translate('app.cert.saving') },
    invalid: { icon: <EditNoteIcon fontSize="small" />, colour: 'warning' as const, text: invalidText ?? translate('app.cert.invalid') },
    error: { icon: <CloudOffIcon fontSize="small" />, colour: 'error' as const, text: translate('app.cert.save_failed') },
  }[status];
  return (
    <Tooltip title={error ?? ''}>
      <Chip size="small" variant="outlined" color={map.colour} icon={map.icon} label={map.text} data-testid="save-status" data-status={status} role="status" />
    </Tooltip>
  );
}
