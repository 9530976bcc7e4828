import {
  Alert,
  Box,
  Button,
  Chip,
  Dialog,
  DialogActions,
  DialogContent,
  DialogTitle,
  MenuItem,
  Stack,
  TextField,
  ToggleButton,
  ToggleButtonGroup,
  Tooltip,
  Typography,
} from '@mui/material';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { countyName, type TaskDto } from '@portal/contracts';
import { useState, type MouseEvent } from 'react';
import { DataTable, List, SearchInput, SelectInput, useListContext, useNotify, useRecordContext, useRefresh, useTranslate } from 'react-admin';
import { countyChoices } from '../../common/choices';
import { errorMessage, usePortalApi } from '../../common/api';
import { daysUntil, formatDate, formatDateTime } from '../../common/format';
import { useMe } from '../../common/useMe';
import { useOpenCase } from '../../workflow/CasePage';
import { stageChipSx } from '../../workflow/stages';
import { ExportActions } from '../../common/ExportButton';

/** The review stages a task can be at (of the two workflows), for the stage filter. */
const stageChoices = [
  { id: 'county_review', name: '县级初审' },
  { id: 'city_review', name: '市级复核' },
  { id: 'panel', name: '专家评审' },
  { id: 'publicity_pending', name: '待公示' },
  { id: 'decision', name: '认定决定' },
  { id: 'city_confirm', name: '市级确认（认定备案）' },
  { id: 'returned', name: '退回补正' },
];

const workflowChoices = [
  { id: 'certification', name: '产教融合型企业认定' },
  { id: 'certification-record', name: '省级、国家级认定备案' },
];

function useFilters() {
  const translate = useTranslate();
  return [
    <SearchInput key="q" source="q" alwaysOn />,
    <SelectInput
      key="status"
      source="status"
      choices={[
        { id: 'open', name: translate('app.tasks.status_open') },
        { id: 'done', name: translate('app.tasks.status_done') },
        { id: 'cancelled', name: translate('app.tasks.status_cancelled') },
      ]}
      alwaysOn
      emptyText={translate('app.common.all')}
    />,
    <SelectInput key="state" source="state" choices={stageChoices} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
    <SelectInput
      key="overdue"
      source="overdue"
      choices={[
        { id: 'true', name: translate('app.tasks.overdue_only') },
        { id: 'false', name: translate('app.tasks.not_overdue') },
      ]}
      emptyText={translate('app.common.all')}
    />,
    <SelectInput key="mine" source="mine" choices={[{ id: 'true', name: translate('app.tasks.mine_only') }]} emptyText={translate('app.common.all')} />,
    <SelectInput key="workflowKey" source="workflowKey" choices={workflowChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
  ];
}

function DueCell() {
  const t = useRecordContext<TaskDto>();
  const translate = useTranslate();
  if (!t) return null;
  if (!t.dueAt) return <Typography variant="body2">—</Typography>;
  const left = daysUntil(t.dueAt);
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <Typography variant="body2" title={formatDateTime(t.dueAt)} sx={{ whiteSpace: 'nowrap' }}>
        {formatDate(t.dueAt)}
      </Typography>
      {t.overdue ? (
        <Chip size="small" color="error" label={translate('app.tasks.overdue')} />
      ) : t.status === 'open' && left !== null && left <= 2 ? (
        <Chip size="small" color="warning" variant="outlined" label={translate('app.tasks.due_soon', { n: Math.max(left, 0) })} />
      ) : null}
    </Stack>
  );
}

function HolderCell() {
  const t = useRecordContext<TaskDto>();
  const translate = useTranslate();
  const { me } = useMe();
  if (!t) return null;
  if (t.kind === 'applicant') return <Chip size="small" variant="outlined" label={translate('app.tasks.applicant_task')} />;
  if (t.assigneeId === null) return <Chip size="small" variant="outlined" color="info" label={translate('app.tasks.claimable')} />;
  if (t.assigneeId === me?.id) return <Chip size="small" color="primary" label={translate('app.tasks.mine')} />;
  return <Chip size="small" variant="outlined" label={translate('app.tasks.claimed_by_other')} />;
}

/**
 * 认领 / 释放: only review tasks the user may work (the server says so, and refuses a claim otherwise:
 * someone else may have claimed it a moment ago); where they may not, why, on hover.
 */
function ClaimButtons() {
  const t = useRecordContext<TaskDto>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const client = useQueryClient();
  const api = usePortalApi();
  const { me } = useMe();
  const [busy, setBusy] = useState(false);
  if (!t || t.status !== 'open' || t.kind !== 'review') return null;
  const act = async (e: MouseEvent, what: 'claim' | 'release') => {
    e.stopPropagation();
    setBusy(true);
    try {
      await api.post(`/tasks/${t.id}/${what}`);
      notify(translate(what === 'claim' ? 'app.tasks.claimed' : 'app.tasks.released'), { type: 'success' });
      void client.invalidateQueries({ queryKey: ['case', t.caseRef] });
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    } finally {
      setBusy(false);
      refresh();
    }
  };
  // the server says whether this user may work the task (separation of duties, jurisdiction…) and why not
  if (t.assigneeId === null && !t.claimable)
    return t.blockedReason ? (
      <Tooltip title={t.blockedReason}>
        <Chip size="small" variant="outlined" label={translate('app.tasks.not_yours')} data-testid="claim-blocked" onClick={(e) => e.stopPropagation()} />
      </Tooltip>
    ) : null;
  if (t.assigneeId === null)
    return (
      <Button size="small" variant="outlined" disabled={busy} onClick={(e) => void act(e, 'claim')}>
        {translate('app.tasks.claim')}
      </Button>
    );
  if (t.assigneeId === me?.id)
    return (
      <Button size="small" disabled={busy} onClick={(e) => void act(e, 'release')}>
        {translate('app.tasks.release')}
      </Button>
    );
  return null;
}

interface Assignee {
  id: number;
  displayName: string;
  organisationName: string | null;
}

/** 改派: hand an open review or panel task to a colleague the server offers (the server says who may: `reassignable`). */
function ReassignButton() {
  const t = useRecordContext<TaskDto>();
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const client = useQueryClient();
  const api = usePortalApi();
  const [open, setOpen] = useState(false);
  const [userId, setUserId] = useState<number | ''>('');
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const assignees = useQuery({ queryKey: ['task-assignees', t?.id], queryFn: () => api.get<Assignee[]>(`/tasks/${t?.id}/assignees`), enabled: open && !!t });
  if (!t?.reassignable) return null;
  const close = () => {
    setOpen(false);
    setUserId('');
    setReason('');
  };
  const submit = async () => {
    if (userId === '') return;
    setBusy(true);
    try {
      await api.post(`/tasks/${t.id}/reassign`, reason.trim() ? { userId, reason: reason.trim() } : { userId });
      notify(translate('app.tasks.reassigned'), { type: 'success' });
      void client.invalidateQueries({ queryKey: ['case', t.caseRef] });
      close();
      refresh();
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button
        size="small"
        onClick={(e) => {
          e.stopPropagation();
          setOpen(true);
        }}
      >
        {translate('app.tasks.reassign')}
      </Button>
      {/* the dialog is portalled, but React events still bubble to the row: stop them there */}
      <Dialog open={open} onClose={close} onClick={(e) => e.stopPropagation()} fullWidth maxWidth="xs">
        <DialogTitle>{translate('app.tasks.reassign_title')}</DialogTitle>
        <DialogContent>
          <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
            {t.caseTitle} · {t.stateLabel}
          </Typography>
          {assignees.error ? (
            <Alert severity="error">{errorMessage(assignees.error)}</Alert>
          ) : (
            <TextField
              select
              fullWidth
              label={translate('app.tasks.reassign_to')}
              value={userId}
              onChange={(e) => setUserId(Number(e.target.value))}
              disabled={assignees.isPending}
              helperText={assignees.data && assignees.data.length === 0 ? translate('app.tasks.no_assignees') : undefined}
            >
              {(assignees.data ?? []).map((a) => (
                <MenuItem key={a.id} value={a.id} disabled={a.id === t.assigneeId}>
                  {a.displayName}
                  {a.organisationName ? `（${a.organisationName}）` : ''}
                </MenuItem>
              ))}
            </TextField>
          )}
          <TextField
            fullWidth
            multiline
            minRows={2}
            sx={{ mt: 2 }}
            label={translate('app.tasks.reassign_reason')}
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            slotProps={{ htmlInput: { maxLength: 500 } }}
          />
        </DialogContent>
        <DialogActions>
          <Button onClick={close}>{translate('app.common.cancel')}</Button>
          <Button variant="contained" disabled={busy || userId === ''} onClick={() => void submit()}>
            {translate('app.common.ok')}
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}

/**
 * 我可办理的 / 全部（督办）: admins and city reviewers see every task of the cases reviewers read (to supervise and
 * hand over); by default only those they may work themself (the server's `workable` filter), one click from all.
 */
function WorkableToggle() {
  const translate = useTranslate();
  const list = useListContext();
  const filterValues = list.filterValues as Record<string, unknown>;
  const displayedFilters = list.displayedFilters as Record<string, boolean>;
  const workable = filterValues.workable;
  const value = workable === true || workable === 'true' ? 'workable' : 'all';
  return (
    <ToggleButtonGroup
      size="small"
      exclusive
      value={value}
      data-testid="tasks-scope"
      aria-label={translate('app.tasks.scope')}
      onChange={(_e, next: 'workable' | 'all' | null) => {
        if (next && next !== value) list.setFilters({ ...filterValues, workable: next === 'workable' }, displayedFilters);
      }}
    >
      <ToggleButton value="workable">{translate('app.tasks.scope_workable')}</ToggleButton>
      <ToggleButton value="all">{translate('app.tasks.scope_all')}</ToggleButton>
    </ToggleButtonGroup>
  );
}

/**
 * 待办事项: the reviewer's inbox — tasks assigned to them and those they may claim, due first (so overdue
 * ones lead, highlighted). A click opens the case (for a certification, the application's page).
 */
export function TaskList() {
  const translate = useTranslate();
  const openCase = useOpenCase();
  const { roles } = useMe();
  // admins and city reviewers read every reviewer's task: theirs to work first, the rest one click away
  const supervises = roles.includes('admin') || roles.includes('city_reviewer');
  return (
    <List
      title={translate('app.menu.tasks')}
      filters={useFilters()}
      filterDefaultValues={supervises ? { status: 'open', workable: true } : { status: 'open' }}
      sort={{ field: 'dueAt', order: 'ASC' }}
      perPage={25}
      exporter={false}
      actions={<ExportActions>{supervises && <WorkableToggle />}</ExportActions>}
    >
      <DataTable
        bulkActionButtons={false}
        rowClick={(_id, _resource, record) => {
          void openCase((record as TaskDto).caseRef);
          return false;
        }}
        rowSx={(record) => ((record as TaskDto).overdue ? { bgcolor: '#fff1f0', '&:hover': { bgcolor: '#ffe4e1 !important' } } : {})}
      >
        <DataTable.Col source="caseTitle" disableSort render={(t: TaskDto) => <Box sx={{ fontWeight: 500 }}>{t.caseTitle}</Box>} />
        <DataTable.Col source="stateLabel" disableSort render={(t: TaskDto) => <Chip size="small" label={t.stateLabel} sx={stageChipSx(t.state, t.kind)} />} />
        <DataTable.Col source="countyCode" disableSort render={(t: TaskDto) => countyName(t.countyCode) ?? '—'} />
        <DataTable.Col source="assigneeId" disableSort>
          <HolderCell />
        </DataTable.Col>
        <DataTable.Col source="dueAt">
          <DueCell />
        </DataTable.Col>
        <DataTable.Col source="createdAt" render={(t: TaskDto) => formatDateTime(t.createdAt)} />
        <DataTable.Col label="" disableSort>
          <Stack direction="row" spacing={0.5}>
            <ClaimButtons />
            <ReassignButton />
          </Stack>
        </DataTable.Col>
      </DataTable>
    </List>
  );
}
