import SummarizeIcon from '@mui/icons-material/Summarize';
import {
  Alert,
  Box,
  Button,
  Chip,
  CircularProgress,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  InputAdornment,
  Stack,
  TextField,
  Typography,
} from '@mui/material';
import { useQueryClient } from '@tanstack/react-query';
import { countyName, SUBSIDY_STATUSES, type SubsidyDto, type SubsidyStatus } from '@portal/contracts';
import { useState, type MouseEvent, type ReactNode } from 'react';
import {
  DataTable,
  FilterButton,
  List,
  NumberInput,
  SelectInput,
  TopToolbar,
  useNavigate,
  useNotify,
  useRecordContext,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { countyChoices, industryChoices } from '../../common/choices';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatDate, formatFen, todayPlus } from '../../common/format';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { LevelChip, levelChoices } from '../certifications/CertificationList';
import { DocumentDownloadButton } from '../documents/DocumentButtons';
import { ExportActions, ExportButton } from '../../common/ExportButton';

export const SUBSIDY_STATUS_COLOUR: Record<SubsidyStatus, 'default' | 'info' | 'success' | 'warning' | 'error'> = {
  pending: 'default',
  notified: 'info',
  paid: 'success',
  cancelled: 'default',
  to_recover: 'error',
  recovered: 'warning',
};

export function SubsidyStatusChip({ status }: { status: SubsidyStatus }) {
  return <Chip size="small" color={SUBSIDY_STATUS_COLOUR[status]} variant={status === 'cancelled' ? 'outlined' : 'filled'} label={SUBSIDY_STATUSES[status]} />;
}

const statusChoices = (Object.keys(SUBSIDY_STATUSES) as SubsidyStatus[]).map((s) => ({ id: s, name: SUBSIDY_STATUSES[s] }));

function useFilters() {
  const translate = useTranslate();
  return [
    <SelectInput key="status" source="status" choices={statusChoices} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput key="level" source="level" choices={levelChoices} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
    <SelectInput key="industry" source="industry" choices={industryChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
    <NumberInput key="year" source="year" min={2000} max={2099} />,
  ];
}

/** A small dialog for the ledger's actions: fields, 确定 / 取消, the server's message when refused. */
function LedgerDialog({
  title,
  open,
  onClose,
  onSubmit,
  children,
  danger,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => Promise<void>;
  children: ReactNode;
  danger?: boolean;
}) {
  const translate = useTranslate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onSubmit();
      onClose();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog open={open} onClose={busy ? undefined : onClose} fullWidth maxWidth="xs" onClick={(e) => e.stopPropagation()}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent dividers>
        <Stack spacing={2}>
          {children}
          {error && <Alert severity="error">{error}</Alert>}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('app.common.cancel')}
        </Button>
        <Button variant="contained" color={danger ? 'error' : 'primary'} onClick={() => void submit()} disabled={busy}>
          {busy ? <CircularProgress size={18} color="inherit" /> : translate('app.common.ok')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

function useLedgerAction() {
  const api = usePortalApi();
  const notify = useNotify();
  const refresh = useRefresh();
  const client = useQueryClient();
  const translate = useTranslate();
  return async (path: string, body: unknown, done: string) => {
    await api.post(path, body);
    notify(translate(done), { type: 'success' });
    void client.invalidateQueries({ queryKey: ['subsidies'] });
    refresh();
  };
}

const stop = (fn: () => void) => (e: MouseEvent) => {
  e.stopPropagation();
  fn();
};

/** 登记拨付 / 撤销 / 登记追回 as the server allows them (finance of the county; the city may cancel). */
function RowActions() {
  const s = useRecordContext<SubsidyDto>();
  const translate = useTranslate();
  const { roles, me } = useMe();
  const act = useLedgerAction();
  const [dialog, setDialog] = useState<'pay' | 'cancel' | 'recover' | null>(null);
  const [voucherNo, setVoucherNo] = useState('');
  const [date, setDate] = useState(todayPlus(0));
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  if (!s) return null;
  const finance = hasRole(roles, 'finance') && (me?.jurisdiction === null || me?.jurisdiction === s.countyCode);
  const city = hasRole(roles, 'city_reviewer', 'admin');
  const canPay = finance && s.status === 'notified';
  const canCancel = (finance || city) && (s.status === 'pending' || s.status === 'notified');
  const canRecover = finance && s.status === 'to_recover';
  const openPay = () => {
    setVoucherNo('');
    setDate(todayPlus(0));
    setAmount(String(s.amountFen / 100));
    setDialog('pay');
  };
  const openRecover = () => {
    setVoucherNo('');
    setDate(todayPlus(0));
    setAmount(String((s.paidAmountFen ?? 0) / 100));
    setDialog('recover');
  };
  return (
    <Stack direction="row" spacing={0.5} sx={{ justifyContent: 'flex-end', alignItems: 'center', '& .MuiButton-root': { whiteSpace: 'nowrap' } }}>
      {s.noticeDocumentId !== null && (
        <DocumentDownloadButton
          doc={{ id: s.noticeDocumentId, serial: `补助通知-${s.id}`, kindLabel: '' }}
          label={translate('app.subsidies.notice')}
          variant="text"
        />
      )}
      {canPay && (
        <Button size="small" variant="contained" onClick={stop(openPay)}>
          {translate('app.subsidies.pay')}
        </Button>
      )}
      {canRecover && (
        <Button size="small" variant="outlined" onClick={stop(openRecover)}>
          {translate('app.subsidies.recover')}
        </Button>
      )}
      {canCancel && (
        <Button size="small" color="error" onClick={stop(() => setDialog('cancel'))}>
          {translate('app.subsidies.cancel')}
        </Button>
      )}
      <LedgerDialog
        title={`${translate('app.subsidies.pay')} · ${s.enterpriseName}`}
        open={dialog === 'pay'}
        onClose={() => setDialog(null)}
        onSubmit={() => act(`/subsidies/${s.id}/pay`, { voucherNo: voucherNo.trim(), paidAt: date, amountYuan: Number(amount) }, 'app.subsidies.paid_done')}
      >
        <Typography variant="body2">
          {translate('app.subsidies.granted')}：{formatFen(s.amountFen)}
        </Typography>
        <Typography variant="caption" color="text.secondary">
          {translate('app.subsidies.pay_in_full')}
          {s.noticeIssuedOn ? translate('app.subsidies.pay_not_before', { date: formatDate(s.noticeIssuedOn) }) : ''}
        </Typography>
        <TextField
          label={translate('resources.subsidies.fields.voucherNo')}
          value={voucherNo}
          onChange={(e) => setVoucherNo(e.target.value)}
          required
          slotProps={{ htmlInput: { maxLength: 64 } }}
        />
        <TextField
          type="date"
          label={translate('app.subsidies.paid_at')}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          required
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: todayPlus(0), ...(s.noticeIssuedOn ? { min: s.noticeIssuedOn } : {}) } }}
        />
        <TextField
          type="number"
          label={translate('app.subsidies.amount_yuan')}
          value={amount}
          required
          slotProps={{ htmlInput: { readOnly: true }, input: { endAdornment: <InputAdornment position="end">元</InputAdornment> } }}
        />
      </LedgerDialog>
      <LedgerDialog
        title={`${translate('app.subsidies.cancel')} · ${s.enterpriseName}`}
        open={dialog === 'cancel'}
        onClose={() => setDialog(null)}
        danger
        onSubmit={() => act(`/subsidies/${s.id}/cancel`, { reason: reason.trim() }, 'app.subsidies.cancelled_done')}
      >
        <TextField
          label={translate('app.subsidies.reason')}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          multiline
          minRows={2}
          required
          slotProps={{ htmlInput: { maxLength: 500 } }}
        />
      </LedgerDialog>
      <LedgerDialog
        title={`${translate('app.subsidies.recover')} · ${s.enterpriseName}`}
        open={dialog === 'recover'}
        onClose={() => setDialog(null)}
        onSubmit={() =>
          act(`/subsidies/${s.id}/recover`, { voucherNo: voucherNo.trim(), recoveredAt: date, amountYuan: Number(amount) }, 'app.subsidies.recovered_done')
        }
      >
        <Typography variant="caption" color="text.secondary">
          {translate('app.subsidies.recover_hint', { voucher: s.voucherNo ?? '—', amount: formatFen(s.paidAmountFen) })}
        </Typography>
        <TextField
          label={translate('app.subsidies.recovery_voucher')}
          value={voucherNo}
          onChange={(e) => setVoucherNo(e.target.value)}
          required
          slotProps={{ htmlInput: { maxLength: 64 } }}
        />
        <TextField
          type="date"
          label={translate('app.subsidies.recovered_at')}
          value={date}
          onChange={(e) => setDate(e.target.value)}
          required
          slotProps={{ inputLabel: { shrink: true }, htmlInput: { max: todayPlus(0), ...(s.paidAt ? { min: s.paidAt } : {}) } }}
        />
        <TextField
          type="number"
          label={translate('app.subsidies.recovered_amount')}
          value={amount}
          onChange={(e) => setAmount(e.target.value)}
          required
          slotProps={{
            htmlInput: { min: 0.01, step: 0.01, max: (s.paidAmountFen ?? 0) / 100 },
            input: { endAdornment: <InputAdornment position="end">元</InputAdornment> },
          }}
        />
      </LedgerDialog>
    </Stack>
  );
}

function ListActions() {
  const translate = useTranslate();
  const navigate = useNavigate();
  return (
    <TopToolbar>
      <Button size="small" startIcon={<SummarizeIcon />} onClick={() => navigate('/subsidy-totals')}>
        {translate('app.subsidies.totals')}
      </Button>
      <FilterButton />
      <ExportButton />
    </TopToolbar>
  );
}

/** 补助台账: one subsidy per enterprise and level; 待拨付 → 已发通知 → 已拨付, or 已撤销 / 待追回. Amounts in 元. */
export function SubsidyList() {
  const translate = useTranslate();
  const { roles } = useMe();
  const enterprise = hasRole(roles, 'enterprise_applicant') && !hasRole(roles, 'finance', 'city_reviewer', 'county_reviewer', 'admin');
  return (
    <List
      title={translate(enterprise ? 'app.menu.my_subsidies' : 'app.menu.subsidies')}
      filters={useFilters()}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={enterprise ? <ExportActions /> : <ListActions />}
    >
      <DataTable bulkActionButtons={false} rowClick={false}>
        <DataTable.Col source="enterpriseName" disableSort />
        <DataTable.Col source="countyCode" disableSort render={(s: SubsidyDto) => countyName(s.countyCode) ?? '—'} />
        <DataTable.Col source="level" disableSort render={(s: SubsidyDto) => <LevelChip level={s.level} />} />
        <DataTable.Col
          source="amountFen"
          disableSort
          align="right"
          render={(s: SubsidyDto) => (
            <Box component="span" sx={{ whiteSpace: 'nowrap' }}>
              {formatFen(s.amountFen)}
            </Box>
          )}
        />
        <DataTable.Col source="policy" disableSort render={(s: SubsidyDto) => translate(`app.subsidies.policy.${s.policy}`)} />
        <DataTable.Col source="status" disableSort render={(s: SubsidyDto) => <SubsidyStatusChip status={s.status} />} />
        <DataTable.Col
          source="paidAt"
          disableSort
          render={(s: SubsidyDto) =>
            s.paidAt ? (
              <Stack>
                <Typography variant="body2">{formatFen(s.paidAmountFen)}</Typography>
                <Typography variant="caption" color="text.secondary">
                  {formatDate(s.paidAt)} · {s.voucherNo}
                </Typography>
                {s.recoveredAt && (
                  <Typography variant="caption" color="warning.main">
                    {translate('app.subsidies.recovered_summary', {
                      amount: formatFen(s.recoveredAmountFen),
                      date: formatDate(s.recoveredAt),
                      voucher: s.recoveryVoucherNo ?? '—',
                    })}
                  </Typography>
                )}
                {s.cancelReason && (
                  <Typography variant="caption" color="text.secondary">
                    {s.cancelReason}
                  </Typography>
                )}
              </Stack>
            ) : s.cancelReason ? (
              <Typography variant="caption" color="text.secondary">
                {s.cancelReason}
              </Typography>
            ) : (
              '—'
            )
          }
        />
        <DataTable.Col label="" disableSort>
          <RowActions />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
