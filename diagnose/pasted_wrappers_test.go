package diagnose

import (
	"slices"
	"testing"
)

// Errors as apps print them: the SMTP reply and the AADSTS code are found
// inside each wrapper, one real format per wrapper.
func TestPastedErrorWrappers(t *testing.T) {
	cases := []struct {
		wrapper  string
		text     string
		code     int
		enhanced string
		smtp     SMTPMeaning
		aadsts   []int
	}{
		{"Python smtplib", `Traceback (most recent call last):
  File "/opt/backup/notify.py", line 41, in send
    server.login(user, password)
  File "/usr/lib/python3.12/smtplib.py", line 750, in login
    raise last_exception
smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator. [LO4P265CA0012.GBRP265.PROD.OUTLOOK.COM 2026-11-21T09:02:11.123Z 08DD0A1B2C3D4E5F]')`,
			535, "5.7.139", SMTPPolicyCriteria, nil},
		{"Python smtplib, bytes with an escaped line break", `smtplib.SMTPAuthenticationError: (535, b'5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. Visit https://aka.ms/smtp_auth_disabled for more information.\r\n[AM0PR02CA0001.eurprd02.prod.outlook.com]')`,
			535, "5.7.139", SMTPTenantDisabled, nil},
		{".NET SmtpException", `System.Net.Mail.SmtpException: The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.3 Authentication unsuccessful [BN9PR03CA0123.namprd03.prod.outlook.com 2026-11-21T09:02:11.123Z]
   at System.Net.Mail.MailCommand.CheckResponse(SmtpStatusCode statusCode, String response)
   at System.Net.Mail.SmtpClient.Send(MailMessage message)`,
			535, "5.7.3", SMTPRefused, nil},
		{"MailKit", `MailKit.Security.AuthenticationException: 535: 5.7.139 Authentication unsuccessful, basic authentication is disabled. [DB8PR09CA0020.eurprd09.prod.outlook.com 2026-11-21T09:02:11.123Z]
 ---> MailKit.Net.Smtp.SmtpCommandException: 5.7.139 Authentication unsuccessful, basic authentication is disabled.`,
			535, "5.7.139", SMTPBasicDisabled, nil},
		{"PHPMailer", `2026-11-21 09:02:11 SERVER -> CLIENT: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy. Contact your administrator. [PR3P191CA0001.EURP191.PROD.OUTLOOK.COM]
2026-11-21 09:02:11 SMTP ERROR: Password command failed: 535 5.7.139 Authentication unsuccessful, user is locked by your organization's security defaults policy.
SMTP Error: Could not authenticate.`,
			535, "5.7.139", SMTPSecurityDefaults, nil},
		{"JavaMail", `jakarta.mail.AuthenticationFailedException: 535 5.7.139 Authentication unsuccessful, the user credentials were incorrect. [VI1PR08CA0123.eurprd08.prod.outlook.com 2026-11-21T09:02:11.123Z]
	at org.eclipse.angus.mail.smtp.SMTPTransport$Authenticator.authenticate(SMTPTransport.java:954)`,
			535, "5.7.139", SMTPBadCredentials, nil},
		{"nodemailer", `Error: Invalid login: 535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox. Visit https://aka.ms/smtp_auth_disabled for more information. [SN7P220CA0011.NAMP220.PROD.OUTLOOK.COM]
    at SMTPConnection._formatError (/app/node_modules/nodemailer/lib/smtp-connection/index.js:798:19) {
  code: 'EAUTH',
  response: '535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.',
  responseCode: 535,
  command: 'AUTH LOGIN'
}`,
			535, "5.7.139", SMTPMailboxDisabled, nil},
		{"PowerShell Send-MailMessage", `Send-MailMessage : The SMTP server requires a secure connection or the client was not authenticated. The server response was: 5.7.30 Basic authentication is not supported for Client Submission.
At line:1 char:1
+ Send-MailMessage -SmtpServer smtp.office365.com -Port 587 -UseSsl ...
    + CategoryInfo          : InvalidOperation: (System.Net.Mail.SmtpClient:SmtpClient) [Send-MailMessage], SmtpException
    + FullyQualifiedErrorId : SmtpException,Microsoft.PowerShell.Commands.SendMailMessage`,
			550, "5.7.30", SMTPBasicRefused, nil},
		{"backup tool log, SMTP", `[21.11.2026 09:02:11] <01> Error    Failed to send email notification: 535 5.7.139 Authentication unsuccessful, the request did not meet the criteria to be authenticated successfully. Contact your administrator.`,
			535, "5.7.139", SMTPPolicyCriteria, nil},
		{"backup tool log, sign-in", `2026-11-21 09:02:11 ERROR [M365Backup] Authentication failed: AADSTS50076: Due to a configuration change made by your administrator, or because you moved to a new location, you must use multi-factor authentication to access '00000003-0000-0ff1-ce00-000000000000'. Trace ID: 0b1c... Correlation ID: 9f8e... Timestamp: 2026-11-21 09:02:11Z`,
			0, "", "", []int{50076}},
		{"MSAL error body in a log", `{"error":"invalid_grant","error_description":"AADSTS53003: Access has been blocked by Conditional Access policies. The access policy does not allow token issuance.","error_codes":[53003]}`,
			0, "", "", []int{53003}},
	}
	for _, tc := range cases {
		t.Run(tc.wrapper, func(t *testing.T) {
			p := ParsePastedError(tc.text)
			if !slices.Equal(p.AADSTS, tc.aadsts) {
				t.Errorf("AADSTS %v, want %v", p.AADSTS, tc.aadsts)
			}
			if tc.code == 0 {
				if p.SMTP != nil {
					t.Errorf("an SMTP reply found: %+v", *p.SMTP)
				}
				return
			}
			if p.SMTP == nil {
				t.Fatal("no SMTP reply found")
			}
			if r := *p.SMTP; r.Code != tc.code || r.Enhanced != tc.enhanced || r.Meaning != tc.smtp {
				t.Errorf("%d %s %s (%q), want %d %s %s", r.Code, r.Enhanced, r.Meaning, r.Text, tc.code, tc.enhanced, tc.smtp)
			}
			if p.ServiceHint != ServiceSMTP {
				t.Errorf("service hint %q", p.ServiceHint)
			}
		})
	}
}
