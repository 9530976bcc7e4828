import { Alert, Card, CardContent, Chip, List, ListItemButton, ListItemText, Stack, Typography } from '@mui/material';
import type { SubsidyDto, TaskDto } from '@portal/contracts';
import { Link, useGetList, useNavigate, useTranslate } from 'react-admin';
import { listPath } from '../../common/api';
import { formatDate, formatFen } from '../../common/format';
import { useOpenCase } from '../../workflow/CasePage';

/** What 我的待办 lists: open tasks the user may work themself (not an admin's or city reviewer's supervisory view of all). */
const MY_OPEN_TASKS = { status: 'open', workable: true };

/** The inbox first (reviewers, experts): open tasks the user may work, earliest deadline first, overdue marked. */
export function PendingTasks() {
  const translate = useTranslate();
  const openCase = useOpenCase();
  const { data, total } = useGetList<TaskDto>('tasks', {
    filter: MY_OPEN_TASKS,
    sort: { field: 'dueAt', order: 'ASC' },
    pagination: { page: 1, perPage: 8 },
  });
  return (
    <Card data-testid="pending-work">
      <CardContent>
        <Typography variant="h6">{translate('app.reporting.pending_title')}</Typography>
        {data && data.length === 0 && <Alert severity="success">{translate('app.reporting.pending_none')}</Alert>}
        <List dense>
          {(data ?? []).map((t) => (
            <ListItemButton key={t.id} onClick={() => void openCase(t.caseRef)}>
              <ListItemText
                primary={t.caseTitle}
                secondary={`${t.stateLabel} · ${t.dueAt ? translate('app.reporting.pending_due', { date: formatDate(t.dueAt) }) : '—'}`}
              />
              {t.overdue && <Chip size="small" color="error" label={translate('app.reporting.overdue')} />}
            </ListItemButton>
          ))}
        </List>
        {!!total && <Link to={listPath('tasks', { filter: MY_OPEN_TASKS })}>{translate('app.reporting.pending_all', { n: total })}</Link>}
      </CardContent>
    </Card>
  );
}

/** A finance officer's pending work: subsidies whose notice is issued, awaiting payment. */
export function PendingSubsidies() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { data, total } = useGetList<SubsidyDto>('subsidies', {
    filter: { status: 'notified' },
    sort: { field: 'id', order: 'DESC' },
    pagination: { page: 1, perPage: 8 },
  });
  const path = listPath('subsidies', { filter: { status: 'notified' } });
  return (
    <Card data-testid="pending-subsidies">
      <CardContent>
        <Typography variant="h6">{translate('app.reporting.finance_title')}</Typography>
        {data && data.length === 0 && <Alert severity="success">{translate('app.reporting.finance_none')}</Alert>}
        <List dense>
          {(data ?? []).map((s) => (
            <ListItemButton key={s.id} onClick={() => navigate(path)}>
              <ListItemText primary={s.enterpriseName} secondary={`${formatFen(s.amountFen)} · ${s.noticeIssuedOn ?? ''}`} />
            </ListItemButton>
          ))}
        </List>
        <Stack direction="row">
          <Link to={path}>{translate('app.reporting.finance_all', { n: total ?? 0 })}</Link>
        </Stack>
      </CardContent>
    </Card>
  );
}
