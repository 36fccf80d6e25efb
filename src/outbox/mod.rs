//! Delivering the outbox: the [`worker`](worker::Worker) claims due messages, renders their
//! [`templates`] and hands them to the channel's [`senders`](senders::Sender).

pub mod senders;
pub mod smtp;
pub mod templates;
pub mod worker;

pub use senders::{HttpSmsSender, LogSender, Outgoing, SendError, Sender, Senders, TelegramSender};
pub use smtp::SmtpSender;
pub use worker::{Pass, Worker, WorkerHandle, WorkerSettings};
