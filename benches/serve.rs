//! `cartsim serve` under load: GET polls of one checkout per second, with keep-alive, on
//! loopback, and the latency of each (p50, p99, max).
//!
//! Load generator: ureq 3.5.2 (blocking HTTP/1.1), one `Agent` per client thread, so each
//! client keeps one connection open and sends its next request when the last answered
//! (closed loop). The server runs in this process on an ephemeral port with
//! `--manual-time`, so every poll answers 200 with the same Checkout output. Client and
//! server share the machine's cores.
//!
//! `cargo bench --bench serve`; `SERVE_BENCH_CLIENTS` (default 2) and
//! `SERVE_BENCH_REQUESTS` (per client, default 20000) change the load.

use cartsim::scenario;
use cartsim::serve::{self, Config, session::Time};
use std::time::{Duration, Instant};

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_idle_connections(1)
        .build()
        .into()
}

fn poll(agent: &ureq::Agent, url: &str) -> u16 {
    let mut response = agent
        .get(url)
        .header("Authorization", "Bearer bob")
        .call()
        .expect("the server answers");
    // Reading the body to its end keeps the connection for the next request.
    let _ = response.body_mut().read_to_vec();
    response.status().as_u16()
}

fn main() {
    let clients = env_or("SERVE_BENCH_CLIENTS", 2).max(1);
    let requests = env_or("SERVE_BENCH_REQUESTS", 20_000).max(100);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/serve-store.json");
    let (s, raw) = scenario::load_file_with_raw(std::path::Path::new(path)).expect("loads");
    let config = Config {
        port: 0,
        time: Time::Manual,
        log: false,
        ..Config::default()
    };
    let server = serve::spawn(&s, raw, config, false).expect("the server starts");
    let base = format!("http://{}", server.addr);
    let api = format!("{base}/services/data/v63.0/commerce/webstores/west");
    let setup = agent();
    let started = setup
        .put(format!("{api}/checkouts"))
        .header("Authorization", "Bearer bob")
        .send_empty()
        .expect("PUT answers");
    assert_eq!(started.status().as_u16(), 202);
    setup
        .post(format!("{base}/cartsim/settle"))
        .send_empty()
        .expect("settle answers");
    let url = format!("{api}/checkouts/ccs-1");
    assert_eq!(poll(&setup, &url), 200);
    // Warm up: connections, allocator, caches.
    for _ in 0..1_000 {
        poll(&setup, &url);
    }

    let wall = Instant::now();
    let latencies: Vec<Duration> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..clients)
            .map(|_| {
                let url = &url;
                scope.spawn(move || {
                    let agent = agent();
                    let mut out = Vec::with_capacity(requests);
                    for _ in 0..requests {
                        let t = Instant::now();
                        let status = poll(&agent, url);
                        out.push(t.elapsed());
                        assert_eq!(status, 200);
                    }
                    out
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().expect("a client thread"))
            .collect()
    });
    let elapsed = wall.elapsed();
    server.stop().expect("the server stops");

    let mut sorted = latencies;
    sorted.sort();
    let at = |q: f64| sorted[((sorted.len() as f64 * q) as usize).min(sorted.len() - 1)];
    let total = sorted.len();
    let per_second = total as f64 / elapsed.as_secs_f64();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "serve: GET .../checkouts/ccs-1, {clients} keep-alive clients (ureq 3.5.2), {total} requests in {:.2}s",
        elapsed.as_secs_f64()
    );
    println!(
        "serve: {per_second:.0} polls/s; latency p50 {:.3} ms, p99 {:.3} ms, max {:.3} ms",
        ms(at(0.50)),
        ms(at(0.99)),
        ms(sorted[total - 1])
    );
    println!(
        "summary serve: {} 10,000 polls/s, {} p99 under 5 ms",
        if per_second >= 10_000.0 {
            "meets"
        } else {
            "MISSES"
        },
        if at(0.99) < Duration::from_millis(5) {
            "meets"
        } else {
            "MISSES"
        }
    );
}
