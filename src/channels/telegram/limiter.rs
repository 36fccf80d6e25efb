//! Telegram's rate limits as Telegram applies them: a chat may get a short burst, then about
//! one message a second; a group at most twenty a minute; the bot at most thirty a second
//! overall. Token buckets: per chat a burst of 3 refilled at 1/s (groups also 20 a minute), and
//! one bucket of 30 refilled at 30/s for everything. With Redis the buckets are shared by every
//! instance (one Lua script takes a token from each bucket atomically, on Redis's clock);
//! without, they live in this process.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

use redis::aio::ConnectionManager;

/// One bucket's shape: how many tokens it holds and how fast they come back.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Shape {
    capacity: f64,
    per_sec: f64,
}

const CHAT: Shape = Shape {
    capacity: 3.0,
    per_sec: 1.0,
};
const GROUP_MINUTE: Shape = Shape {
    capacity: 20.0,
    per_sec: 20.0 / 60.0,
};
const OVERALL: Shape = Shape {
    capacity: 30.0,
    per_sec: 30.0,
};

/// The buckets a message to `chat` takes a token from, with their names.
/// `script` over the buckets' Redis keys, each with its capacity and refill per millisecond.
fn on_buckets<'a>(
    script: &'a redis::Script,
    prefix: &str,
    buckets: &[(String, Shape)],
) -> redis::ScriptInvocation<'a> {
    let mut invocation = script.prepare_invoke();
    for (name, shape) in buckets {
        invocation
            .key(format!("{prefix}tg:rate:{name}"))
            .arg(shape.capacity)
            .arg(shape.per_sec / 1000.0);
    }
    invocation
}

fn buckets(chat: i64, overall: Shape, per_chat: Shape) -> Vec<(String, Shape)> {
    let mut all = vec![
        ("global".to_owned(), overall),
        (format!("chat:{chat}"), per_chat),
    ];
    // Groups, supergroups and channels have negative ids.
    if chat < 0 {
        all.push((format!("group:{chat}"), GROUP_MINUTE));
    }
    all
}

/// Waits until a message may go.
pub struct Limiter {
    backend: Backend,
    overall: Shape,
    per_chat: Shape,
    /// Steady mode: reserve the next free slot and wait for it once (see [`Limiter::steady`]).
    reserve: bool,
}

enum Backend {
    Local(Mutex<HashMap<String, (f64, Instant)>>),
    Redis {
        conn: ConnectionManager,
        prefix: String,
        script: redis::Script,
        reserve: redis::Script,
    },
}

/// Takes one token from each bucket (KEYS) or none; answers how many milliseconds to wait
/// (0: taken). ARGV holds capacity and tokens per millisecond for each key, in order.
const TAKE: &str = r"
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local wait = 0
local level = {}
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local b = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(b[1]) or cap
  local at = tonumber(b[2]) or t
  tokens = math.min(cap, tokens + math.max(0, t - at) * rate)
  level[i] = tokens
  if tokens < 1 then
    local w = math.ceil((1 - tokens) / rate)
    if w > wait then wait = w end
  end
end
if wait > 0 then return wait end
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  redis.call('HSET', key, 'tokens', tostring(level[i] - 1), 'at', tostring(t))
  redis.call('PEXPIRE', key, math.ceil(cap / rate) + 1000)
end
return 0
";

/// Steady mode: reserves the earliest moment every bucket (KEYS) has a token, takes it for
/// then and answers how many milliseconds away it is. A bucket's `at` may lie in the future
/// (a reservation): its level stays as stored until then. ARGV as for [`TAKE`].
const RESERVE: &str = r"
local now = redis.call('TIME')
local t = tonumber(now[1]) * 1000 + tonumber(now[2]) / 1000
local slot = t
local level = {}
local from = {}
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local b = redis.call('HMGET', key, 'tokens', 'at')
  local tokens = tonumber(b[1]) or cap
  local at = tonumber(b[2]) or t
  tokens = math.min(cap, tokens + math.max(0, t - at) * rate)
  level[i] = tokens
  from[i] = math.max(t, at)
  local ready = from[i] + math.max(0, 1 - tokens) / rate
  if ready > slot then slot = ready end
end
for i, key in ipairs(KEYS) do
  local cap = tonumber(ARGV[2 * i - 1])
  local rate = tonumber(ARGV[2 * i])
  local left = math.min(cap, level[i] + (slot - from[i]) * rate) - 1
  redis.call('HSET', key, 'tokens', tostring(left), 'at', tostring(slot))
  redis.call('PEXPIRE', key, math.ceil(slot - t + (cap - left) / rate) + 1000)
end
return tostring(slot - t)
";

impl Limiter {
    /// Buckets in this process: for a bot that runs as one instance.
    pub fn local() -> Limiter {
        Limiter {
            backend: Backend::Local(Mutex::new(HashMap::new())),
            overall: OVERALL,
            per_chat: CHAT,
            reserve: false,
        }
    }

    /// At most `per_sec` messages a second in all (Telegram allows 30; a local Bot API server
    /// for benchmarks, more), with a burst of as many.
    pub fn overall(mut self, per_sec: u32) -> Limiter {
        let per_sec = f64::from(per_sec.max(1));
        self.overall = Shape {
            capacity: per_sec,
            per_sec,
        };
        self
    }

    /// No bursts: at most one message a second to a chat and, overall, one every
    /// `1/per_sec` seconds — so no second ever holds more than `per_sec` (a burst of 30 on top
    /// of a steady 30 would put 60 into one second). For notices, which go in bulk; chat turns
    /// keep their short burst. The buckets are the same (same keys), so both share the budget.
    ///
    /// A sender reserves the next free moment and waits for it once, instead of waiting and
    /// asking again (which loses the time between a token's return and the next ask: 28 a
    /// second instead of 30). The rates are set 2 % below the limit, so the jitter of a late
    /// wake-up or of the network never puts one more send into any second. Call it last.
    pub fn steady(mut self) -> Limiter {
        self.overall = Shape {
            capacity: 1.0,
            per_sec: self.overall.per_sec * 0.98,
        };
        self.per_chat = Shape {
            capacity: 1.0,
            per_sec: self.per_chat.per_sec * 0.98,
        };
        self.reserve = true;
        self
    }

    /// Buckets in Redis under `<prefix>tg:rate:…`, shared by every instance.
    pub fn redis(conn: ConnectionManager, prefix: &str) -> Limiter {
        Limiter {
            backend: Backend::Redis {
                conn,
                prefix: prefix.to_owned(),
                script: redis::Script::new(TAKE),
                reserve: redis::Script::new(RESERVE),
            },
            overall: OVERALL,
            per_chat: CHAT,
            reserve: false,
        }
    }

    /// Returns once a message to `chat` may be sent (its token taken). When Redis does not
    /// answer, the process's own pace (one a second) stands in rather than none.
    pub async fn wait(&self, chat: i64) {
        if self.reserve {
            let delay = loop {
                match self.reserve(chat).await {
                    Ok(delay) => break delay,
                    Err(error) => {
                        tracing::warn!(%error, "the shared rate limit is unavailable");
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            };
            tokio::time::sleep(delay).await;
            return;
        }
        loop {
            let delay = match self.take(chat).await {
                Ok(delay) => delay,
                Err(error) => {
                    tracing::warn!(%error, "the shared rate limit is unavailable");
                    Duration::from_secs(1)
                }
            };
            if delay.is_zero() {
                return;
            }
            tokio::time::sleep(delay).await;
        }
    }

    /// Reserves a token of each of the chat's buckets for the earliest moment all have one;
    /// answers how far away it is.
    async fn reserve(&self, chat: i64) -> Result<Duration, redis::RedisError> {
        let buckets = buckets(chat, self.overall, self.per_chat);
        match &self.backend {
            Backend::Local(state) => {
                let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                let mut slot = now;
                let mut levels = Vec::new();
                for (name, shape) in &buckets {
                    let (tokens, at) = state.get(name).copied().unwrap_or((shape.capacity, now));
                    let tokens = (tokens
                        + now.saturating_duration_since(at).as_secs_f64() * shape.per_sec)
                        .min(shape.capacity);
                    let from = at.max(now);
                    let ready =
                        from + Duration::from_secs_f64((1.0 - tokens).max(0.0) / shape.per_sec);
                    slot = slot.max(ready);
                    levels.push((tokens, from));
                }
                for ((name, shape), (tokens, from)) in buckets.iter().zip(levels) {
                    let gained = slot.saturating_duration_since(from).as_secs_f64() * shape.per_sec;
                    let left = (tokens + gained).min(shape.capacity) - 1.0;
                    state.insert(name.clone(), (left, slot));
                }
                Ok(slot.saturating_duration_since(now))
            }
            Backend::Redis {
                conn,
                prefix,
                reserve,
                ..
            } => {
                let invocation = on_buckets(reserve, prefix, &buckets);
                let mut conn = conn.clone();
                let millis: String = invocation.invoke_async(&mut conn).await?;
                let millis: f64 = millis.parse().unwrap_or(1000.0);
                Ok(Duration::from_secs_f64(millis.max(0.0) / 1000.0))
            }
        }
    }

    /// Takes a token from each of the chat's buckets, or says how long to wait for them.
    async fn take(&self, chat: i64) -> Result<Duration, redis::RedisError> {
        let buckets = buckets(chat, self.overall, self.per_chat);
        match &self.backend {
            Backend::Local(state) => {
                let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
                let now = Instant::now();
                let mut levels = Vec::new();
                let mut wait = 0.0f64;
                for (name, shape) in &buckets {
                    let (tokens, at) = state.get(name).copied().unwrap_or((shape.capacity, now));
                    let tokens = (tokens + now.duration_since(at).as_secs_f64() * shape.per_sec)
                        .min(shape.capacity);
                    if tokens < 1.0 {
                        wait = wait.max((1.0 - tokens) / shape.per_sec);
                    }
                    levels.push(tokens);
                }
                if wait > 0.0 {
                    return Ok(Duration::from_secs_f64(wait));
                }
                for ((name, _), tokens) in buckets.iter().zip(levels) {
                    state.insert(name.clone(), (tokens - 1.0, now));
                }
                // Chats quiet for a minute are full again: forget them.
                if state.len() > 10_000 {
                    state.retain(|_, (_, at)| now.duration_since(*at) < Duration::from_secs(60));
                }
                Ok(Duration::ZERO)
            }
            Backend::Redis {
                conn,
                prefix,
                script,
                ..
            } => {
                let invocation = on_buckets(script, prefix, &buckets);
                let mut conn = conn.clone();
                let millis: u64 = invocation.invoke_async(&mut conn).await?;
                Ok(Duration::from_millis(millis))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_chat_gets_a_burst_of_three_then_one_a_second() {
        let limiter = Limiter::local();
        let start = tokio::time::Instant::now();
        for _ in 0..3 {
            limiter.wait(1).await;
        }
        assert!(start.elapsed() < Duration::from_millis(10));
        // The fourth waits for the next token, about a second.
        limiter.wait(1).await;
        let waited = start.elapsed();
        assert!(
            waited >= Duration::from_millis(990) && waited < Duration::from_millis(1100),
            "{waited:?}"
        );
        assert!(
            limiter.take(2).await.unwrap().is_zero(),
            "another chat is not held up"
        );
    }

    #[tokio::test(start_paused = true)]
    async fn steady_never_puts_more_than_the_rate_into_a_second() {
        let limiter = Limiter::local().overall(30).steady();
        let start = tokio::time::Instant::now();
        let mut at = Vec::new();
        for i in 0..90 {
            limiter.wait(i).await;
            at.push(start.elapsed());
        }
        // Any window of one second holds at most 30 sends, and 90 take about three seconds.
        for (i, first) in at.iter().enumerate() {
            let within = at[i..]
                .iter()
                .take_while(|t| **t - *first < Duration::from_secs(1))
                .count();
            assert!(within <= 30, "{within} within a second from {first:?}");
        }
        let spent = at[89] - at[0];
        assert!(
            spent >= Duration::from_millis(3000) && spent < Duration::from_millis(3100),
            "{spent:?}"
        );
        // And a chat gets one a second, without a burst.
        let chat = Limiter::local().steady();
        let start = tokio::time::Instant::now();
        chat.wait(1).await;
        chat.wait(1).await;
        assert!(start.elapsed() >= Duration::from_millis(990));
    }

    #[test]
    fn groups_also_count_a_minute() {
        assert_eq!(buckets(5, OVERALL, CHAT).len(), 2);
        assert_eq!(buckets(-5, OVERALL, CHAT).len(), 3);
    }
}
