import { Alert, Button, Card, CardContent, Stack, Typography } from '@mui/material';
import { Link, Loading, useTranslate } from 'react-admin';
import { errorMessage } from '../../common/api';
import { LedgerProgress, useMyLedger } from '../../resources/practice/ledger';

/**
 * A teacher's home page: where they stand against 《职业学校教师企业实践规定》 today (the same progress as 我的实践达标),
 * and the two things they come to do — find a 千企万岗 post, log a practice.
 */
export function TeacherLedger() {
  const translate = useTranslate();
  const { data: l, error, isPending } = useMyLedger();
  return (
    <Card data-testid="teacher-ledger">
      <CardContent>
        <Stack spacing={1.5}>
          <Typography variant="h6">
            {l ? translate('app.practice.ledger_title', { years: l.windowYears }) : translate('app.practice.ledger_title_plain')}
          </Typography>
          {error ? <Alert severity="warning">{errorMessage(error)}</Alert> : isPending || !l ? <Loading /> : <LedgerProgress l={l} />}
          <Stack direction="row" spacing={1} useFlexGap sx={{ flexWrap: 'wrap' }}>
            <Button component={Link} to="/my-practice-ledger" variant="outlined" size="small">
              {translate('app.practice.home_ledger_details')}
            </Button>
            <Button component={Link} to="/practice-records/create" variant="outlined" size="small">
              {translate('app.practice.new_record')}
            </Button>
            <Button component={Link} to="/practice-posts" variant="outlined" size="small">
              {translate('app.practice.home_find_posts')}
            </Button>
          </Stack>
        </Stack>
      </CardContent>
    </Card>
  );
}
