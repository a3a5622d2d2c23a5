//! Notices by e-mail over SMTP (`KEHU_SMTP_URL`, e.g. `smtps://user:pass@smtp.exmail.qq.com`
//! or `smtp://127.0.0.1:2525`; `KEHU_MAIL_FROM` the sender): a plain-text message per notice in
//! the recipient organization's language. The URL holds a password: only its host is shown.

use lettre::message::{header::ContentType, Mailbox};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use persistence::mail_messages::Outgoing;

/// Where and as whom e-mail is sent.
#[derive(Clone)]
pub struct MailPolicy {
    pub smtp_url: String,
    pub from: String,
}

impl std::fmt::Debug for MailPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailPolicy")
            .field("smtp", &host_of(&self.smtp_url))
            .field("from", &self.from)
            .finish()
    }
}

/// The host and port of an SMTP URL, without credentials.
fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|u| Some(format!("{}:{}", u.host_str()?, u.port().unwrap_or(0))))
        .unwrap_or_else(|| "(unparsable)".into())
}

pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    host: String,
}

impl Mailer {
    pub fn new(policy: &MailPolicy) -> Result<Mailer, String> {
        let host = host_of(&policy.smtp_url);
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(&policy.smtp_url)
            .map_err(|e| format!("KEHU_SMTP_URL ({host}): {e}"))?
            .timeout(Some(std::time::Duration::from_secs(15)))
            .build();
        let from = policy
            .from
            .parse()
            .map_err(|e| format!("KEHU_MAIL_FROM `{}`: {e}", policy.from))?;
        Ok(Mailer {
            transport,
            from,
            host,
        })
    }

    /// Sends one notice; the error says why, without credentials.
    pub async fn send(&self, m: &Outgoing) -> Result<(), String> {
        let to: Mailbox = format!(
            "{} <{}>",
            m.to_name.replace(['<', '>', '"'], ""),
            m.to_email
        )
        .parse()
        .or_else(|_| m.to_email.parse())
        .map_err(|e| format!("recipient `{}`: {e}", m.to_email))?;
        let (title, footer) = if m.zh {
            (
                &m.title.zh,
                "—— 客户 Kehu（在 Kehu 的通知中心查看详情；通知设置里可关闭邮件）",
            )
        } else {
            (
                &m.title.en,
                "— Kehu (details in Kehu's notifications; turn e-mail off in notification settings)",
            )
        };
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(format!("[Kehu] {title}"))
            .header(ContentType::TEXT_PLAIN)
            .body(format!("{title}\n\n{footer}\n"))
            .map_err(|e| format!("message: {e}"))?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| format!("SMTP {}: {e}", self.host))
    }
}
