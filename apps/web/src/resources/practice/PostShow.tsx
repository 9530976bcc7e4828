import ArrowBackIcon from '@mui/icons-material/ArrowBack';
import { Alert, Box, Button, Stack } from '@mui/material';
import { countyName, type PracticePostDto } from '@portal/contracts';
import { Link, Loading, ShowBase, Title, useNavigate, useShowContext, useTranslate } from 'react-admin';
import { errorMessage } from '../../common/api';
import { useMe } from '../../common/useMe';
import { hasRole } from '../../providers/access';
import { ApplyButton } from './ApplyButton';
import { Facts, industryName, Section } from './shared';

function PostView() {
  const translate = useTranslate();
  const navigate = useNavigate();
  const { roles } = useMe();
  const { record: p, isPending, error } = useShowContext<PracticePostDto>();
  if (isPending) return <Loading />;
  if (error || !p)
    return (
      <Alert severity="error" sx={{ mt: 2 }}>
        {errorMessage(error)}
      </Alert>
    );
  const teacher = hasRole(roles, 'teacher');
  const f = (name: string) => translate(`resources.practice-posts.fields.${name}`);
  return (
    <Stack spacing={2} sx={{ mt: 2, mb: 4 }}>
      <Title title={p.title} />
      <Box>
        <Button size="small" startIcon={<ArrowBackIcon />} onClick={() => navigate(-1)}>
          {translate('app.common.back')}
        </Button>
      </Box>
      <Section
        title={p.title}
        testId="post-details"
        action={
          teacher && (
            <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
              <ApplyButton post={p} />
              {/* accepted: the teacher logs the practice on this post, its enterprise the host */}
              {p.myApplication?.state === 'accepted' && (
                <Button
                  size="small"
                  variant="contained"
                  component={Link}
                  to="/practice-records/create"
                  state={{ record: { hostKind: 'registered', hostOrgId: p.enterpriseId, postId: p.id } }}
                  data-testid="log-on-post"
                >
                  {translate('app.practice.log_on_post')}
                </Button>
              )}
            </Stack>
          )
        }
      >
        <Facts
          rows={[
            [f('enterpriseName'), p.enterpriseName],
            [f('countyCode'), countyName(p.countyCode) ?? '—'],
            [f('industry'), industryName(p.industry)],
            [f('major'), p.major],
            [f('period'), `${p.startDate} 至 ${p.endDate}`],
            [f('remaining'), `${p.remaining} / ${p.openings}`],
            [f('status'), translate(`app.practice.post_${p.status}`)],
            [f('mentorName'), p.mentorName],
            [f('content'), p.content],
          ]}
        />
      </Section>
    </Stack>
  );
}

/** A 千企万岗 post: what the work is (its content), where, when, who mentors; a teacher applies here. */
export function PostShow() {
  return (
    <ShowBase resource="practice-posts">
      <PostView />
    </ShowBase>
  );
}
