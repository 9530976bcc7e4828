import { Body, Controller, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { LoginResponse } from '@portal/contracts';
import { LoginDto, RegisterEnterpriseDto } from '../dto/identity.dto.js';
import type { RequestInfo } from '../http.js';
import { Public } from './auth.decorators.js';
import { AuthService } from './auth.service.js';
import { RegistrationService } from './registration.service.js';
import { ApiReturns } from '@portal/core';

@ApiTags('auth')
@Controller('auth')
export class AuthController {
  constructor(
    private readonly auth: AuthService,
    private readonly registration: RegistrationService,
  ) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: '登录，答复 bearer 令牌' })
  @ApiOkResponse({ schema: { properties: { token: { type: 'string' }, expiresAt: { type: 'string' } } } })
  @ApiReturns('LoginResponse')
  login(@Body() dto: LoginDto, @Req() req: RequestInfo): Promise<LoginResponse> {
    const ua = req.headers['user-agent'];
    return this.auth.login(dto.username, dto.password, { ip: req.ip, userAgent: Array.isArray(ua) ? ua[0] : ua });
  }

  @Public()
  @Post('register-enterprise')
  @ApiOperation({ summary: '企业自助注册：新建企业及其第一个用户（企业申报人），答复登录令牌' })
  @ApiReturns('LoginResponse')
  register(@Body() dto: RegisterEnterpriseDto): Promise<LoginResponse> {
    return this.registration.registerEnterprise(dto);
  }
}
