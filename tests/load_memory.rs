//! The memory a load takes at its peak, against the size of the file: counted by a
//! global allocator that tallies the live bytes and their peak, so the figure is exact
//! and does not depend on timing. The engine's goal is at most 20x for a 1,000,000-step
//! file (`cargo bench --bench shape`); the ratio does not depend on the length (a file
//! of generated steps costs the same per step), so a short file checks it here.

use cartsim::scenario::generate::{Spec, generate};
use cartsim::scenario::load::load_unplayed;
use cartsim::scenario::{Step, load_bytes};

#[path = "common/counting.rs"]
mod counting;

#[global_allocator]
static ALLOCATOR: counting::Counting = counting::Counting;

// One test in this file: the counters are global, and tests run side by side.
#[test]
fn loading_a_long_file_takes_at_most_20x_its_size() {
    // The bench's 1,000,000-step file, one fiftieth as long: one checkout action every
    // 300 steps, over 100 carts.
    let text = generate(Spec {
        steps: 20_000,
        carts: 100,
        sparsity: 300,
        seed: 1,
    });
    let size = text.len();
    // Record ids are interned in one table for the whole process, which sets aside about
    // 12 MB on first use: a cost paid once per process, not per file (under 0.5x at
    // the bench's 26 MB file), so a small file is loaded first to pay it.
    load_bytes("small.json", generate(Spec::sized(10, 4)).as_bytes()).expect("loads");
    let checked = counting::peak(|| {
        let loaded = load_bytes("generated.json", text.as_bytes()).expect("loads");
        assert_eq!(loaded.steps.len(), 20_000);
    });
    let unplayed = counting::peak(|| {
        load_unplayed("generated.json", text.as_bytes()).expect("loads");
    });
    // Measured at about 13x (the position of each value while loading, and the
    // scenario's steps); holding the file as the format's types besides was over 60x.
    for (what, bytes) in [("load_bytes", checked), ("load_unplayed", unplayed)] {
        assert!(
            bytes <= 20 * size,
            "{what}: peak {bytes} bytes for a file of {size} ({:.1}x)",
            bytes as f64 / size as f64
        );
    }
    // A step without a note, marker, expectation or quiz (most of a long file) is its
    // action and a few words: those parts are kept apart.
    assert!(
        std::mem::size_of::<Step>() <= std::mem::size_of::<cartsim::engine::Action>() + 40,
        "a Step is {} bytes",
        std::mem::size_of::<Step>()
    );
}
