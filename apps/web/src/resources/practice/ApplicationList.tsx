import { Button, Stack } from '@mui/material';
import type { PracticeApplicationDto } from '@portal/contracts';
import { DataTable, List, SelectInput, TopToolbar, useNotify, useRefresh, useTranslate } from 'react-admin';
import { ExportButton } from '../../common/ExportButton';
import { errorMessage, usePortalApi } from '../../common/api';
import { formatDateTime } from '../../common/format';
import { ApplicationStatusChip, applicationStatusChoices } from './shared';

/** The buttons the server says this user may press on the application (allowedActions). */
function ActionButtons({ app }: { app: PracticeApplicationDto }) {
  const api = usePortalApi();
  const notify = useNotify();
  const refresh = useRefresh();
  const act = async (action: string) => {
    try {
      await api.post(`/practice-applications/${app.id}/actions`, { action });
      refresh();
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    }
  };
  return (
    <Stack direction="row" spacing={1}>
      {app.allowedActions.map((a) => (
        <Button
          key={a.action}
          size="small"
          variant={a.action === 'accept' || a.action === 'school_approve' ? 'contained' : 'outlined'}
          color={a.action.includes('decline') || a.action === 'withdraw' ? 'inherit' : 'primary'}
          onClick={() => void act(a.action)}
          data-action={a.action}
        >
          {a.label}
        </Button>
      ))}
    </Stack>
  );
}

/** 岗位申请: the teacher's own, the school's teachers' (to let them go), the enterprise's posts' (to accept). */
export function PracticeApplicationList() {
  const translate = useTranslate();
  return (
    <List
      resource="practice-applications"
      title={translate('app.menu.practice_applications')}
      filters={[
        <SelectInput
          key="status"
          source="status"
          choices={applicationStatusChoices}
          translateChoice={false}
          alwaysOn
          emptyText={translate('app.common.all')}
        />,
      ]}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      exporter={false}
      empty={false}
      actions={
        <TopToolbar>
          <ExportButton />
        </TopToolbar>
      }
    >
      <DataTable rowClick={false} bulkActionButtons={false}>
        <DataTable.Col source="postTitle" disableSort />
        <DataTable.Col source="enterpriseName" disableSort />
        <DataTable.Col source="teacherName" disableSort />
        <DataTable.Col source="schoolName" disableSort />
        <DataTable.Col source="status" disableSort render={(a: PracticeApplicationDto) => <ApplicationStatusChip status={a.status} label={a.statusLabel} />} />
        <DataTable.Col source="updatedAt" render={(a: PracticeApplicationDto) => formatDateTime(a.updatedAt)} />
        <DataTable.Col source="id" label=" " disableSort render={(a: PracticeApplicationDto) => <ActionButtons app={a} />} />
      </DataTable>
    </List>
  );
}
