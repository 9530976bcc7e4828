import AddIcon from '@mui/icons-material/Add';
import {
  Alert,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { CERTIFICATION_LEVELS, countyName, type CertificationDto, type CertificationLevel, type OrganisationDto } from '@portal/contracts';
import { useState, type MouseEvent } from 'react';
import { DataTable, FilterButton, List, SelectInput, TopToolbar, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { countyChoices, industryChoices } from '../../common/choices';
import { errorMessage, listPath, usePortalApi } from '../../common/api';
import { formatDate, todayPlus } from '../../common/format';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { AnnualReportsButton } from './AnnualReports';
import { ExportButton } from '../../common/ExportButton';

export const levelChoices = (Object.keys(CERTIFICATION_LEVELS) as CertificationLevel[]).map((l) => ({ id: l, name: CERTIFICATION_LEVELS[l].label }));
const LEVEL_COLOUR: Record<CertificationLevel, 'default' | 'primary' | 'secondary'> = { city: 'default', provincial: 'primary', national: 'secondary' };

export function LevelChip({ level }: { level: CertificationLevel }) {
  return <Chip size="small" variant="outlined" color={LEVEL_COLOUR[level]} label={CERTIFICATION_LEVELS[level]?.label ?? level} />;
}

const STATUS_COLOUR = { active: 'success', expired: 'default', revoked: 'error' } as const;

function useFilters() {
  const translate = useTranslate();
  return [
    <SelectInput key="level" source="level" choices={levelChoices} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput
      key="status"
      source="status"
      choices={(['active', 'expired', 'revoked'] as const).map((s) => ({ id: s, name: translate(`app.certifications.status.${s}`) }))}
      alwaysOn
      emptyText={translate('app.common.all')}
    />,
    <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
    <SelectInput key="industry" source="industry" choices={industryChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
  ];
}

/** 登记省级/国家级认定 (city): the enterprise, the level, the document number and date of the higher authority. */
function RecordDialog({ onClose }: { onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const api = usePortalApi();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const [enterpriseId, setEnterpriseId] = useState<number | ''>('');
  const [level, setLevel] = useState<'provincial' | 'national'>('provincial');
  const [documentNo, setDocumentNo] = useState('');
  const [certifiedAt, setCertifiedAt] = useState(todayPlus(0));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const enterprises = useQuery({
    queryKey: ['organisations', 'enterprise-picker', search],
    queryFn: () =>
      api.get<OrganisationDto[]>(
        listPath('organisations', { filter: { kind: 'enterprise', ...(search.trim() ? { q: search.trim() } : {}) }, sort: ['id', 'ASC'], range: [0, 49] }),
      ),
  });
  const submit = async () => {
    if (!enterpriseId || documentNo.trim().length < 2 || !certifiedAt) {
      setError(translate('app.certifications.record_incomplete'));
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await api.post('/certifications', { enterpriseId, level, documentNo: documentNo.trim(), certifiedAt });
      notify(translate('app.certifications.recorded'), { type: 'success' });
      void client.invalidateQueries({ queryKey: ['subsidies'] });
      refresh();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open onClose={busy ? undefined : onClose} fullWidth maxWidth="sm">
      <DialogTitle>{translate('app.certifications.record')}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          <TextField size="small" label={translate('app.certifications.search_enterprise')} value={search} onChange={(e) => setSearch(e.target.value)} />
          <TextField
            select
            size="small"
            label={translate('resources.certifications.fields.enterpriseName')}
            value={enterpriseId}
            onChange={(e) => setEnterpriseId(Number(e.target.value))}
            required
          >
            {(enterprises.data ?? []).map((o) => (
              <MenuItem key={o.id} value={o.id}>
                {o.name}（{countyName(o.countyCode) ?? '—'}）
              </MenuItem>
            ))}
          </TextField>
          <TextField
            select
            size="small"
            label={translate('resources.certifications.fields.level')}
            value={level}
            onChange={(e) => setLevel(e.target.value as 'provincial' | 'national')}
          >
            <MenuItem value="provincial">{CERTIFICATION_LEVELS.provincial.label}</MenuItem>
            <MenuItem value="national">{CERTIFICATION_LEVELS.national.label}</MenuItem>
          </TextField>
          <TextField
            size="small"
            label={translate('resources.certifications.fields.documentNo')}
            value={documentNo}
            onChange={(e) => setDocumentNo(e.target.value)}
            required
            slotProps={{ htmlInput: { maxLength: 100 } }}
          />
          <TextField
            size="small"
            type="date"
            label={translate('resources.certifications.fields.certifiedAt')}
            value={certifiedAt}
            onChange={(e) => setCertifiedAt(e.target.value)}
            required
            slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: todayPlus(0) } }}
          />
          <Typography variant="caption" color="text.secondary">
            {translate('app.certifications.record_hint')}
          </Typography>
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('app.common.cancel')}
        </Button>
        <Button variant="contained" onClick={() => void submit()} disabled={busy}>
          {busy ? <CircularProgress size={18} color="inherit" /> : translate('app.common.ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/** 撤销认定 (city) with a reason: the certificate is revoked, the subsidy cancelled or marked to recover. */
function RevokeButton() {
  const c = useRecordContext<CertificationDto>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const api = usePortalApi();
  const client = useQueryClient();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (!c || c.status !== 'active') return null;
  const submit = async () => {
    if (reason.trim().length < 2) {
      setError(translate('app.certifications.need_reason'));
      return;
    }
    setBusy(true);
    try {
      await api.post(`/certifications/${c.id}/revoke`, { reason: reason.trim() });
      notify(translate('app.certifications.revoked'), { type: 'success' });
      void client.invalidateQueries({ queryKey: ['subsidies'] });
      void client.invalidateQueries({ queryKey: ['documents'] });
      setOpen(false);
      refresh();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="small"
        color="error"
        onClick={(e: MouseEvent) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        {translate('app.certifications.revoke')}
      </Button>
      <Dialog open={open} onClose={busy ? undefined : () => setOpen(false)} fullWidth maxWidth="sm" onClick={(e) => e.stopPropagation()}>
        <DialogTitle>{translate('app.certifications.revoke_title', { name: c.enterpriseName })}</DialogTitle>
        <DialogContent dividers>
          <Stack spacing={2}>
            <Alert severity="warning">{translate('app.certifications.revoke_warning')}</Alert>
            <TextField
              label={translate('app.certifications.reason')}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
              multiline
              minRows={3}
              required
              slotProps={{ htmlInput: { maxLength: 500 } }}
            />
            {error && <Alert severity="error">{error}</Alert>}
          </Stack>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setOpen(false)} disabled={busy}>
            {translate('app.common.cancel')}
          </Button>
          <Button variant="contained" color="error" onClick={() => void submit()} disabled={busy}>
            {translate('app.common.ok')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

function ListActions({ mayRecord }: { mayRecord: boolean }) {
  const translate = useTranslate();
  const [open, setOpen] = useState(false);
  return (
    <TopToolbar>
      {mayRecord && (
        <Button size="small" variant="contained" startIcon={<AddIcon />} onClick={() => setOpen(true)}>
          {translate('app.certifications.record')}
        </Button>
      )}
      {open && <RecordDialog onClose={() => setOpen(false)} />}
      <FilterButton />
      <ExportButton />
    </TopToolbar>
  );
}

/** 认定企业: certified enterprises at every level, with status; the city records higher levels and revokes. */
export function CertificationList() {
  const translate = useTranslate();
  const { roles } = useMe();
  const city = hasRole(roles, 'city_reviewer', 'admin');
  return (
    <List
      title={translate('app.menu.certifications')}
      filters={useFilters()}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={<ListActions mayRecord={city} />}
    >
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col source="enterpriseName" disableSort />
        <DataTable.Col source="countyCode" disableSort render={(c: CertificationDto) => countyName(c.countyCode) ?? '—'} />
        <DataTable.Col source="level" disableSort render={(c: CertificationDto) => <LevelChip level={c.level} />} />
        <DataTable.Col source="source" disableSort render={(c: CertificationDto) => translate(`app.certifications.source.${c.source}`)} />
        <DataTable.Col source="documentNo" disableSort render={(c: CertificationDto) => c.documentNo ?? '—'} />
        <DataTable.Col source="certifiedAt" disableSort render={(c: CertificationDto) => formatDate(c.certifiedAt)} />
        <DataTable.Col source="validUntil" disableSort render={(c: CertificationDto) => formatDate(c.validUntil)} />
        <DataTable.Col
          source="status"
          disableSort
          render={(c: CertificationDto) => (
            <Stack spacing={0.25}>
              <Chip size="small" color={STATUS_COLOUR[c.status]} label={translate(`app.certifications.status.${c.status}`)} sx={{ alignSelf: 'flex-start' }} />
              {c.revokeReason && (
                <Typography variant="caption" color="text.secondary">
                  {c.revokeReason}
                </Typography>
              )}
            </Stack>
          )}
        />
        <DataTable.Col label="" disableSort>
          <Stack direction="row" spacing={1}>
            <AnnualReportsButton />
            {city && <RevokeButton />}
          </Stack>
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
