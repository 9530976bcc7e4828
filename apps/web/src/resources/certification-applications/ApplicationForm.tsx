import AddIcon from '@mui/icons-material/Add';
import CloudDoneIcon from '@mui/icons-material/CloudDone';
import CloudOffIcon from '@mui/icons-material/CloudOff';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
import EditNoteIcon from '@mui/icons-material/EditNote';
import {
  Box,
  Button,
  Checkbox,
  Chip,
  CircularProgress,
  FormControlLabel,
  IconButton,
  MenuItem,
  Paper,
  Stack,
  TextField,
  Tooltip,
  Typography,
} from '@mui/material';
import { EVIDENCE_TYPES, type CertificationApplicationDto, type Declarations, type EvidenceItem, type EvidenceType } from '@portal/contracts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useNotify, useTranslate } from 'react-admin';
import { errorMessage, errorStatus, usePortalApi } from '../../common/api';
import { DECLARATION_KEYS, EvidenceTable, SOURCE_LABELS } from './ApplicationDetails';

export type SaveStatus = 'saved' | 'dirty' | 'saving' | 'invalid' | 'error';

interface Draft {
  plan: string;
  evidence: EvidenceItem[];
  declarations: Declarations;
}

const fromApp = (a: CertificationApplicationDto): Draft => ({
  plan: a.plan ?? '',
  evidence: (a.evidence ?? []).map((e) => ({ ...e })),
  declarations: { ...a.declarations },
});

const SAVE_DELAY_MS = 800;

/** The problems the server would refuse (EvidenceItemDto), found before sending so autosave never stores half an item. */
export function evidenceProblems(items: readonly EvidenceItem[]): Array<{ index: number; field: keyof EvidenceItem; message: string }> {
  const out: Array<{ index: number; field: keyof EvidenceItem; message: string }> = [];
  items.forEach((e, index) => {
    const d = e.description?.trim() ?? '';
    if (d.length === 0) out.push({ index, field: 'description', message: '请填写说明' });
    if (d.length > 500) out.push({ index, field: 'description', message: '不超过 500 字' });
    if (e.year !== undefined && (!Number.isInteger(e.year) || e.year < 1990 || e.year > 2100))
      out.push({ index, field: 'year', message: '年度应在 1990–2100 之间' });
    if (e.count !== undefined && (!Number.isInteger(e.count) || e.count < 0)) out.push({ index, field: 'count', message: '应为非负整数' });
    if (e.amountYuan !== undefined && (!Number.isFinite(e.amountYuan) || e.amountYuan < 0 || Math.round(e.amountYuan * 100) !== e.amountYuan * 100))
      out.push({ index, field: 'amountYuan', message: '金额应为非负数，最多两位小数' });
    if ((e.schoolName ?? '').length > 100) out.push({ index, field: 'schoolName', message: '不超过 100 字' });
  });
  return out;
}

/** The body of PUT /certification-applications/:id: trimmed, empty optional fields left out. */
function toBody(d: Draft) {
  return {
    plan: d.plan,
    declarations: d.declarations,
    evidence: d.evidence.map((e) => {
      const out: EvidenceItem = { type: e.type, description: e.description.trim(), source: e.source ?? 'manual' };
      if (e.schoolName?.trim()) out.schoolName = e.schoolName.trim();
      if (e.year !== undefined) out.year = e.year;
      if (e.count !== undefined) out.count = e.count;
      if (e.amountYuan !== undefined) out.amountYuan = e.amountYuan;
      if (e.sourceRef) out.sourceRef = e.sourceRef;
      return out;
    }),
  };
}

const num = (v: string): number | undefined => (v.trim() === '' ? undefined : Number(v));

export function SaveIndicator({ status, error }: { status: SaveStatus; error?: string | null }) {
  const translate = useTranslate();
  const map = {
    saved: { icon: <CloudDoneIcon fontSize="small" />, colour: 'success' as const, text: translate('app.cert.saved') },
    dirty: { icon: <EditNoteIcon fontSize="small" />, colour: 'default' as const, text: translate('app.cert.unsaved') },
    saving: { icon: <CircularProgress size={14} />, colour: 'default' as const, text: translate('app.cert.saving') },
    invalid: { icon: <EditNoteIcon fontSize="small" />, colour: 'warning' as const, text: translate('app.cert.invalid') },
    error: { icon: <CloudOffIcon fontSize="small" />, colour: 'error' as const, text: translate('app.cert.save_failed') },
  }[status];
  return (
    <Tooltip title={error ?? ''}>
      <Chip size="small" variant="outlined" color={map.colour} icon={map.icon} label={map.text} data-testid="save-status" data-status={status} role="status" />
    </Tooltip>
  );
}

/**
 * What the portal's own records give as evidence (order classes, practice hosted), read-only beside what the
 * enterprise types: the pre-check counts both, so the form says so and how many. `items` is undefined until the
 * application's detail (which carries them) has loaded.
 */
function LinkedEvidence({ items, typed }: { items: readonly EvidenceItem[] | undefined; typed: number }) {
  const translate = useTranslate();
  return (
    <Box sx={{ mt: 2.5 }} data-testid="linked-evidence">
      <Typography variant="body2" sx={{ fontWeight: 600, mb: 0.5 }}>
        {translate('app.cert.linked_evidence')}
        {items ? `（${items.length}）` : ''}
      </Typography>
      <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mb: 1 }}>
        {translate('app.cert.linked_evidence_hint')}
      </Typography>
      {!items ? (
        <CircularProgress size={18} />
      ) : items.length === 0 ? (
        <Typography variant="body2" color="text.secondary">
          {translate('app.cert.no_linked_evidence')}
        </Typography>
      ) : (
        <EvidenceTable items={items} testId="linked-evidence-table" />
      )}
      {items && (
        <Typography variant="body2" color="text.secondary" sx={{ mt: 1 }} data-testid="evidence-counted">
          {translate('app.cert.evidence_counted', { total: typed + items.length, typed, linked: items.length })}
        </Typography>
      )}
    </Box>
  );
}

export interface ApplicationFormProps {
  app: CertificationApplicationDto;
  /** after each save (the server's answer), to refresh what depends on the content */
  onSaved: (answer: CertificationApplicationDto) => void;
  onStatus?: (status: SaveStatus) => void;
}

/**
 * The enterprise's application form, saved to the server as it is typed: a debounced PUT with the
 * dataVersion last seen; one save at a time; a stale version (409, edited in another window) reloads.
 */
export function ApplicationForm({ app, onSaved, onStatus }: ApplicationFormProps) {
  const translate = useTranslate();
  const notify = useNotify();
  const api = usePortalApi();
  const [draft, setDraftState] = useState<Draft>(() => fromApp(app));
  const [status, setStatusState] = useState<SaveStatus>('saved');
  const [error, setError] = useState<string | null>(null);
  const [showProblems, setShowProblems] = useState(false);
  const draftRef = useRef(draft);
  const versionRef = useRef(app.dataVersion);
  const dirtyRef = useRef(false);
  const savingRef = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const onSavedRef = useRef(onSaved);
  onSavedRef.current = onSaved;

  const setStatus = useCallback(
    (s: SaveStatus) => {
      setStatusState(s);
      onStatus?.(s);
    },
    [onStatus],
  );

  const flush = useCallback(async (): Promise<void> => {
    clearTimeout(timer.current);
    if (savingRef.current || !dirtyRef.current) return;
    const d = draftRef.current;
    if (evidenceProblems(d.evidence).length) {
      setStatus('invalid');
      setShowProblems(true);
      return;
    }
    savingRef.current = true;
    dirtyRef.current = false;
    setStatus('saving');
    try {
      const answer = await api.put<CertificationApplicationDto>(`/certification-applications/${app.id}`, { dataVersion: versionRef.current, ...toBody(d) });
      versionRef.current = answer.dataVersion;
      setError(null);
      setStatus(dirtyRef.current ? 'dirty' : 'saved');
      onSavedRef.current(answer);
    } catch (e) {
      if (errorStatus(e) === 409) {
        notify(`${errorMessage(e)}（${translate('app.cert.reloaded')}）`, { type: 'warning', autoHideDuration: 8000 });
        try {
          const fresh = await api.get<CertificationApplicationDto>(`/certification-applications/${app.id}`);
          versionRef.current = fresh.dataVersion;
          draftRef.current = fromApp(fresh);
          setDraftState(draftRef.current);
          dirtyRef.current = false;
          setError(null);
          setStatus('saved');
          onSavedRef.current(fresh);
        } catch (e2) {
          setError(errorMessage(e2));
          setStatus('error');
        }
      } else {
        dirtyRef.current = true;
        setError(errorMessage(e));
        setStatus('error');
      }
    } finally {
      savingRef.current = false;
      if (dirtyRef.current && evidenceProblems(draftRef.current.evidence).length === 0) timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
    }
  }, [api, app.id, notify, setStatus, translate]);

  const update = (next: Draft) => {
    draftRef.current = next;
    setDraftState(next);
    dirtyRef.current = true;
    setStatus(evidenceProblems(next.evidence).length ? 'invalid' : 'dirty');
    clearTimeout(timer.current);
    timer.current = setTimeout(() => void flush(), SAVE_DELAY_MS);
  };

  // leaving with unsaved typing: save now, and let the browser warn on a reload
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

  const problems = evidenceProblems(draft.evidence);
  const problemOf = (index: number, field: keyof EvidenceItem) =>
    showProblems ? problems.find((p) => p.index === index && p.field === field)?.message : undefined;

  const setItem = (index: number, patch: Partial<EvidenceItem>) =>
    update({ ...draft, evidence: draft.evidence.map((e, i) => (i === index ? { ...e, ...patch } : e)) });
  const addItem = () => update({ ...draft, evidence: [...draft.evidence, { type: 'school_partner', description: '', source: 'manual' }] });
  const removeItem = (index: number) => update({ ...draft, evidence: draft.evidence.filter((_, i) => i !== index) });

  return (
    <Stack spacing={3} data-testid="application-form">
      <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
        <Typography variant="body2" color="text.secondary" sx={{ flex: 1 }}>
          {translate('app.cert.autosave_hint')}
        </Typography>
        <SaveIndicator status={status} error={error} />
      </Stack>

      <Box component="section" aria-labelledby="evidence-heading">
        <Stack direction="row" sx={{ alignItems: 'center', mb: 1 }}>
          <Typography id="evidence-heading" variant="subtitle1" sx={{ fontWeight: 600, flex: 1 }}>
            {translate('app.cert.evidence')}（{draft.evidence.length}）
          </Typography>
          <Button startIcon={<AddIcon />} onClick={addItem} disabled={draft.evidence.length >= 200} variant="outlined" size="small">
            {translate('app.cert.add_evidence')}
          </Button>
        </Stack>
        <Typography variant="caption" color="text.secondary" sx={{ display: 'block', mb: 1 }}>
          {translate('app.cert.evidence_hint')}
        </Typography>
        <Stack spacing={1.5}>
          {draft.evidence.map((e, i) => (
            <Paper key={i} variant="outlined" sx={{ p: 1.5 }} data-testid={`evidence-${i}`}>
              <Stack direction="row" spacing={1} sx={{ alignItems: 'center', mb: 1 }}>
                <Typography variant="body2" sx={{ fontWeight: 600 }}>
                  {translate('app.cert.evidence_n', { n: i + 1 })}
                </Typography>
                {e.source !== 'manual' && <Chip size="small" label={SOURCE_LABELS[e.source] ?? e.source} />}
                <Box sx={{ flex: 1 }} />
                <Tooltip title={translate('app.cert.remove_evidence')}>
                  <IconButton size="small" aria-label={translate('app.cert.remove_evidence_n', { n: i + 1 })} onClick={() => removeItem(i)}>
                    <DeleteOutlineIcon fontSize="small" />
                  </IconButton>
                </Tooltip>
              </Stack>
              <Box sx={{ display: 'grid', gridTemplateColumns: { xs: '1fr 1fr', md: '170px minmax(0, 1fr) 96px 96px 130px' }, gap: 1.5 }}>
                <TextField
                  select
                  size="small"
                  label={translate('app.cert.evidence_type')}
                  value={e.type}
                  onChange={(ev) => setItem(i, { type: ev.target.value as EvidenceType })}
                >
                  {(Object.keys(EVIDENCE_TYPES) as EvidenceType[]).map((t) => (
                    <MenuItem key={t} value={t}>
                      {EVIDENCE_TYPES[t]}
                    </MenuItem>
                  ))}
                </TextField>
                <TextField
                  size="small"
                  label={translate('app.cert.evidence_school')}
                  value={e.schoolName ?? ''}
                  onChange={(ev) => setItem(i, { schoolName: ev.target.value || undefined })}
                  error={!!problemOf(i, 'schoolName')}
                  helperText={problemOf(i, 'schoolName')}
                  slotProps={{ htmlInput: { maxLength: 100 } }}
                />
                <TextField
                  size="small"
                  type="number"
                  label={translate('app.cert.evidence_year')}
                  value={e.year ?? ''}
                  onChange={(ev) => setItem(i, { year: num(ev.target.value) })}
                  error={!!problemOf(i, 'year')}
                  helperText={problemOf(i, 'year')}
                  slotProps={{ htmlInput: { min: 1990, max: 2100, step: 1 } }}
                />
                <TextField
                  size="small"
                  type="number"
                  label={translate('app.cert.evidence_count')}
                  value={e.count ?? ''}
                  onChange={(ev) => setItem(i, { count: num(ev.target.value) })}
                  error={!!problemOf(i, 'count')}
                  helperText={problemOf(i, 'count')}
                  slotProps={{ htmlInput: { min: 0, step: 1 } }}
                />
                <TextField
                  size="small"
                  type="number"
                  label={translate('app.cert.evidence_amount')}
                  value={e.amountYuan ?? ''}
                  onChange={(ev) => setItem(i, { amountYuan: num(ev.target.value) })}
                  error={!!problemOf(i, 'amountYuan')}
                  helperText={problemOf(i, 'amountYuan')}
                  slotProps={{ htmlInput: { min: 0, step: 0.01 } }}
                />
                <TextField
                  size="small"
                  label={translate('app.cert.evidence_description')}
                  value={e.description}
                  onChange={(ev) => setItem(i, { description: ev.target.value })}
                  required
                  multiline
                  error={!!problemOf(i, 'description')}
                  helperText={problemOf(i, 'description')}
                  sx={{ gridColumn: '1 / -1' }}
                  slotProps={{ htmlInput: { maxLength: 500 } }}
                />
              </Box>
            </Paper>
          ))}
          {draft.evidence.length === 0 && (
            <Typography variant="body2" color="text.secondary">
              {translate('app.cert.no_evidence')}
            </Typography>
          )}
        </Stack>
        <LinkedEvidence items={app.linkedEvidence} typed={draft.evidence.length} />
      </Box>

      <Box component="section">
        <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 0.5 }}>
          {translate('app.cert.declarations')}
        </Typography>
        <Stack>
          {DECLARATION_KEYS.map((k) => (
            <FormControlLabel
              key={k}
              control={
                <Checkbox
                  checked={!!draft.declarations[k]}
                  onChange={(ev) => update({ ...draft, declarations: { ...draft.declarations, [k]: ev.target.checked } })}
                />
              }
              label={translate(`app.cert.declaration.${k}`)}
            />
          ))}
        </Stack>
      </Box>

      <Box component="section">
        <Typography variant="subtitle1" sx={{ fontWeight: 600, mb: 1 }}>
          {translate('app.cert.plan')}
        </Typography>
        <TextField
          fullWidth
          multiline
          minRows={6}
          label={translate('app.cert.plan')}
          placeholder={translate('app.cert.plan_placeholder')}
          value={draft.plan}
          onChange={(ev) => update({ ...draft, plan: ev.target.value })}
          slotProps={{ htmlInput: { maxLength: 20000 } }}
          helperText={`${draft.plan.length} / 20000`}
        />
      </Box>
    </Stack>
  );
}
