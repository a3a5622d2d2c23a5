//! What Kehu sends out over HTTP: webhooks — where they may point ([`targets`]), how their
//! messages are signed ([`signing`]) — and team-chat posts ([`chat`]), both delivered from their
//! queues by one [`sender`].

pub mod chat;
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
