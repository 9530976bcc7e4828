import { Injectable, Logger } from '@nestjs/common';
import { AppConfig } from '@portal/core';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

/** The email channel: SMTP when SMTP_URL is configured, otherwise each message is written to the log. */
export abstract class Mailer {
  abstract send(mail: Mail): Promise<void>;
}

@Injectable()
export class ConfiguredMailer extends Mailer {
  private readonly logger = new Logger('Mail');
  private transport: Promise<{ sendMail(m: object): Promise<unknown> }> | undefined;

  constructor(private readonly config: AppConfig) {
    super();
  }

  async send(mail: Mail): Promise<void> {
    if (!this.config.smtpUrl) {
      this.logger.log(`(no SMTP_URL) mail to ${mail.to}: ${mail.subject}`);
      return;
    }
    this.transport ??= import('nodemailer').then((m) => m.default.createTransport(this.config.smtpUrl));
    await (await this.transport).sendMail({ from: 'noreply@cjrh.wenzhou.gov.cn', ...mail });
  }
}
