import AccountBalanceIcon from '@mui/icons-material/AccountBalance';
import { Box, Divider, Typography } from '@mui/material';
import { Link, Login, LoginForm, useTranslate } from 'react-admin';
import { AUTH_BACKGROUND, PortalHeading } from './AuthShell';

/** The login page: the portal's title, react-admin's form (inputs named username / password), and 企业注册. */
export function LoginPage() {
  const translate = useTranslate();
  return (
    <Login
      avatarIcon={<AccountBalanceIcon />}
      sx={{
        backgroundImage: AUTH_BACKGROUND,
        '& .RaLogin-card': { width: 380, maxWidth: '94vw', marginTop: '8vh', pb: 1 },
        '& .RaLogin-card .RaLoginForm-content': { width: 'auto' },
        '& .RaLogin-icon': { bgcolor: 'primary.main' },
      }}
    >
      <PortalHeading subtitle={translate('app.auth.login_title')} />
      <LoginForm />
      <Divider sx={{ mx: 2 }} />
      <Box sx={{ textAlign: 'center', py: 1.5 }}>
        <Typography variant="body2" component="span" color="text.secondary">
          {translate('app.auth.no_account')}{' '}
        </Typography>
        <Link to="/register" variant="body2" data-testid="register-link">
          {translate('app.auth.register_link')}
        </Link>
        <Typography variant="body2" component="span" color="text.secondary">
          {' · '}
        </Typography>
        <Link to="/publicity" variant="body2" data-testid="publicity-link">
          {translate('app.auth.publicity_link')}
        </Link>
      </Box>
    </Login>
  );
}
