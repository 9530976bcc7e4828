import { Button, Chip } from '@mui/material';
import { countyName, type PracticePostDto } from '@portal/contracts';
import {
  AutocompleteInput,
  BooleanInput,
  CreateButton,
  DataTable,
  DateInput,
  FilterButton,
  List,
  SearchInput,
  SelectInput,
  TopToolbar,
  useNotify,
  useRefresh,
  useTranslate,
} from 'react-admin';
import { errorMessage, usePortalApi } from '../../common/api';
import { countyChoices, industryChoices } from '../../common/choices';
import { ExportButton } from '../../common/ExportButton';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { ApplyButton } from './ApplyButton';
import { industryName, majorNameChoices } from './shared';

function StatusButton({ post }: { post: PracticePostDto }) {
  const translate = useTranslate();
  const api = usePortalApi();
  const notify = useNotify();
  const refresh = useRefresh();
  const toggle = async (e: React.MouseEvent) => {
    e.stopPropagation();
    try {
      await api.put(`/practice-posts/${post.id}`, { status: post.status === 'open' ? 'closed' : 'open' });
      refresh();
    } catch (err) {
      notify(errorMessage(err), { type: 'warning' });
    }
  };
  return (
    <>
      <Chip size="small" color={post.status === 'open' ? 'success' : 'default'} label={translate(`app.practice.post_${post.status}`)} sx={{ mr: 1 }} />
      <Button size="small" onClick={(e) => void toggle(e)}>
        {translate(post.status === 'open' ? 'app.practice.close_post' : 'app.practice.reopen_post')}
      </Button>
    </>
  );
}

/**
 * 千企万岗: teachers search posts by major, county, industry and dates and apply; an enterprise sees its own
 * posts (the menu filters by its id), publishes new ones and closes them. A row opens the post's page (its content).
 */
export function PostList() {
  const translate = useTranslate();
  const { me, roles } = useMe();
  const teacher = hasRole(roles, 'teacher');
  const enterprise = hasRole(roles, 'enterprise_applicant');
  const filters = [
    <SearchInput key="q" source="q" alwaysOn />,
    <AutocompleteInput key="major" source="major" choices={majorNameChoices} translateChoice={false} alwaysOn sx={{ minWidth: 220 }} />,
    <SelectInput key="countyCode" source="countyCode" choices={countyChoices} translateChoice={false} alwaysOn emptyText={translate('app.common.all')} />,
    <SelectInput key="industry" source="industry" choices={industryChoices} translateChoice={false} emptyText={translate('app.common.all')} />,
    <DateInput key="from" source="from" />,
    <DateInput key="to" source="to" />,
    <BooleanInput key="available" source="available" />,
  ];
  return (
    <List
      resource="practice-posts"
      title={translate(enterprise ? 'app.menu.my_posts' : 'app.menu.practice_posts')}
      filters={filters}
      sort={{ field: 'id', order: 'DESC' }}
      perPage={25}
      exporter={false}
      empty={false}
      actions={
        <TopToolbar>
          <FilterButton />
          {enterprise && <CreateButton label={translate('app.practice.new_post')} />}
          <ExportButton />
        </TopToolbar>
      }
    >
      <DataTable rowClick="show" bulkActionButtons={false}>
        <DataTable.Col source="title" disableSort />
        <DataTable.Col source="enterpriseName" disableSort />
        <DataTable.Col source="major" disableSort />
        <DataTable.Col source="countyCode" disableSort render={(p: PracticePostDto) => countyName(p.countyCode) ?? '—'} />
        <DataTable.Col
          source="industry"
          disableSort
          render={(p: PracticePostDto) => <span style={{ whiteSpace: 'nowrap' }}>{industryName(p.industry)}</span>}
        />
        <DataTable.Col source="startDate" label="resources.practice-posts.fields.period" render={(p: PracticePostDto) => `${p.startDate} 至 ${p.endDate}`} />
        <DataTable.Col source="mentorName" disableSort />
        <DataTable.Col source="remaining" render={(p: PracticePostDto) => `${p.remaining} / ${p.openings}`} />
        <DataTable.Col
          source="status"
          disableSort
          render={(p: PracticePostDto) =>
            teacher ? <ApplyButton post={p} /> : enterprise && p.enterpriseId === me?.organisationId ? <StatusButton post={p} /> : null
          }
        />
      </DataTable>
    </List>
  );
}
