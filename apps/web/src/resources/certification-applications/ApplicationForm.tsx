import AddIcon from '@mui/icons-material/Add';
import DeleteOutlineIcon from '@mui/icons-material/DeleteOutlined';
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
import { useTranslate } from 'react-admin';
import { usePortalApi } from '../../common/api';
import { SaveIndicator, useAutosave, type SaveStatus } from '../../common/useAutosave';
import { DECLARATION_KEYS, EvidenceTable, SOURCE_LABELS } from './ApplicationDetails';

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
  const api = usePortalApi();
  const { draft, update, status, error, showProblems } = useAutosave<Draft, CertificationApplicationDto>({
    record: app,
    fromRecord: fromApp,
    save: (d, dataVersion) => api.put<CertificationApplicationDto>(`/certification-applications/${app.id}`, { dataVersion, ...toBody(d) }),
    reload: () => api.get<CertificationApplicationDto>(`/certification-applications/${app.id}`),
    isValid: (d) => evidenceProblems(d.evidence).length === 0,
    onSaved,
    onStatus,
  });

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
