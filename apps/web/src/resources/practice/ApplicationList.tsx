import type { PracticeApplicationDto } from '@portal/contracts';
import { DataTable, List, SelectInput, TopToolbar, useRefresh, useTranslate } from 'react-admin';
import { ExportButton } from '../../common/ExportButton';
import { formatDateTime } from '../../common/format';
import { CaseActions } from '../../workflow/CaseActions';
import { useDefinition } from '../../workflow/hooks';
import { StageChip } from '../../workflow/StageChip';
import { APPLICATION_WORKFLOW_KEY } from './keys';

/** The buttons the engine allows this user on the application's case (allowedActions), through its actions endpoint with the case's version. */
function ActionButtons({ app }: { app: PracticeApplicationDto }) {
  const refresh = useRefresh();
  // a row without an action draws nothing (no case fetch for the finished ones)
  if (!app.allowedActions.length) return null;
  return <CaseActions caseRef={app.caseRef} onDone={() => refresh()} />;
}

function Stage({ app }: { app: PracticeApplicationDto }) {
  const { data: def } = useDefinition(APPLICATION_WORKFLOW_KEY);
  return <StageChip summary={app} def={def} />;
}

/** 岗位申请: the teacher's own, the school's teachers' (to let them go), the enterprise's posts' (to accept); stages from the workflow's definition. */
export function PracticeApplicationList() {
  const translate = useTranslate();
  const { data: def } = useDefinition(APPLICATION_WORKFLOW_KEY);
  // the draft is never left behind by applying: not a stage to filter by
  const stages = (def?.states ?? []).filter((s) => s.key !== def?.initial).map((s) => ({ id: s.key, name: s.label }));
  return (
    <List
      resource="practice-applications"
      title={translate('app.menu.practice_applications')}
      filters={[<SelectInput key="state" source="state" choices={stages} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />]}
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
        <DataTable.Col
          source="postStartDate"
          disableSort
          render={(a: PracticeApplicationDto) => <span style={{ whiteSpace: 'nowrap' }}>{`${a.postStartDate} 至 ${a.postEndDate}`}</span>}
        />
        <DataTable.Col source="teacherName" disableSort />
        <DataTable.Col source="schoolName" disableSort />
        <DataTable.Col source="state" disableSort render={(a: PracticeApplicationDto) => <Stage app={a} />} />
        <DataTable.Col source="updatedAt" render={(a: PracticeApplicationDto) => formatDateTime(a.updatedAt)} />
        <DataTable.Col source="id" label=" " disableSort render={(a: PracticeApplicationDto) => <ActionButtons app={a} />} />
      </DataTable>
    </List>
  );
}
