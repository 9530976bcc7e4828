import { Box, Typography } from '@mui/material';
import type { ReactNode } from 'react';
import { AppBar, Layout, TitlePortal, useTranslate } from 'react-admin';
import { AppMenu } from './AppMenu';
import { NotificationBell } from './NotificationBell';
import { MenuTitleProvider } from './SingleActiveMenu';

function AppTitle() {
  const translate = useTranslate();
  return (
    <Typography
      component="span"
      variant="h6"
      sx={{ fontWeight: 700, letterSpacing: '0.06em', whiteSpace: 'nowrap', mr: 2, display: { xs: 'none', md: 'inline' } }}
    >
      {translate('app.title')}
    </Typography>
  );
}

function AppHeader() {
  return (
    <AppBar color="primary">
      <AppTitle />
      <Box component="span" sx={{ flex: 1, minWidth: 0, display: 'flex', alignItems: 'center', opacity: 0.9 }}>
        <TitlePortal variant="body1" />
      </Box>
      <NotificationBell />
    </AppBar>
  );
}

export function AppLayout({ children }: { children: ReactNode }) {
  return (
    <MenuTitleProvider>
      <Layout appBar={AppHeader} menu={AppMenu}>
        {children}
      </Layout>
    </MenuTitleProvider>
  );
}
