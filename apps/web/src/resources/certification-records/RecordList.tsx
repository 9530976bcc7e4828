import { CreateButton, DataTable, List, TopToolbar, useTranslate } from 'react-admin';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { useDefinition } from '../../workflow/hooks';
import { StageChip } from '../../workflow/StageChip';
import { LevelChip } from '../certifications/CertificationList';
import type { RecordDto } from './types';
import { ExportButton } from '../../common/ExportButton';

function StageCell({ r }: { r: RecordDto }) {
  const { data: def } = useDefinition('certification-record');
  return <StageChip summary={r.case} def={def} />;
}

/** 省级/国家级认定备案: the enterprise's proposals (its own), or all of them for the city to confirm. */
export function RecordList() {
  const translate = useTranslate();
  const { roles } = useMe();
  const enterprise = hasRole(roles, 'enterprise_applicant');
  return (
    <List
      title={translate('app.menu.records')}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      exporter={false}
      actions={
        <TopToolbar>
          {enterprise && <CreateButton label="app.records.create" />}
          <ExportButton />
        </TopToolbar>
      }
      empty={false}
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="enterpriseName" disableSort />
        <DataTable.Col source="level" disableSort render={(r: RecordDto) => <LevelChip level={r.level} />} />
        <DataTable.Col source="documentNo" disableSort />
        <DataTable.Col source="certifiedAt" disableSort />
        <DataTable.Col source="state" disableSort render={(r: RecordDto) => <StageCell r={r} />} />
      </DataTable>
    </List>
  );
}
