//! What Kehu sends out: webhooks — where they may point ([`targets`]), how their messages are
//! signed ([`signing`]) — team-chat posts ([`chat`]) and e-mail ([`mail`]), all delivered from
//! their queues by one [`sender`], which also runs the workflow rules.

pub mod chat;
pub mod mail;
pub mod sender;
pub mod signing;
pub mod targets;

pub use sender::Sender;

/// What webhook deliveries may reach, and whether this process sends them.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Whether endpoints may be on loopback, private or link-local addresses.
    pub private_targets: bool,
    /// Off: this process queues deliveries and workflow runs but leaves the outbox work (running
    /// rules, sending deliveries, posting to team chats) to the others.
    pub send: bool,
    /// How long a receiver has to answer.
    pub timeout: std::time::Duration,
}
