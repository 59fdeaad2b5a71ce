//! Properties that must hold for any sequence of actions and any input bytes.

mod common;

use cartsim::engine::*;
use cartsim::player::{Origin, Timeline};
use cartsim::scenario::load_bytes;
use proptest::prelude::*;

fn any_action() -> impl Strategy<Value = Action> {
    let cart = prop_oneof![Just("cart-1"), Just("cart-2"), Just("nope")];
    let buyer = prop_oneof![Just("bob"), Just("eve")];
    let perm = prop_oneof![
        Just(Permission::EditCart),
        Just(Permission::Checkout),
        Just(Permission::CancelCheckout)
    ];
    prop_oneof![
        cart.clone().prop_map(common::start),
        cart.clone().prop_map(common::cancel),
        cart.clone().prop_map(common::cont),
        (
            cart.clone(),
            prop_oneof![Just("BOLT"), Just("NUT")],
            -2i64..5
        )
            .prop_map(|(c, s, n)| common::add(c, s, n)),
        (0u64..4).prop_map(common::wait),
        Just(Action::Settle),
        cart.clone().prop_map(|c| Action::FailOperation {
            cart: c.into(),
            message: "boom".into()
        }),
        (buyer.clone(), perm.clone()).prop_map(|(b, p)| common::grant(b, p)),
        (buyer.clone(), perm).prop_map(|(b, p)| common::revoke(b, p)),
        (buyer, prop_oneof![Just("acme"), Just("other")]).prop_map(|(b, a)| {
            Action::SwitchAccount {
                buyer: b.into(),
                account: a.into(),
            }
        }),
        prop_oneof![Just("west"), Just("east")].prop_map(|s| Action::LeaveStore {
            account: "acme".into(),
            store: s.into()
        }),
        prop_oneof![Just("west"), Just("east")].prop_map(|s| Action::JoinStore {
            account: "acme".into(),
            store: s.into()
        }),
    ]
}

fn invariants(world: &World) {
    for cart in world.carts() {
        let active = world
            .sessions()
            .iter()
            .filter(|s| s.cart == cart.id && !s.is_archived)
            .count();
        assert!(active <= 1, "{} has {active} active sessions", cart.id);
        if cart.status == CartStatus::Active
            && let Some(s) = world.active_session(&cart.id)
        {
            assert!(!s.is_processing, "an Active cart's session is processing");
        }
    }
    for s in world.sessions() {
        if s.is_processing {
            let op = s
                .background_operation_id
                .as_deref()
                .and_then(|id| world.operation(id));
            assert!(
                op.is_some_and(|o| o.status.in_progress()),
                "{} processes nothing",
                s.id
            );
        }
        if s.is_archived {
            assert!(!s.is_processing);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn any_sequence_keeps_the_rules(actions in prop::collection::vec(any_action(), 1..40), mode in prop_oneof![Just("recalculate"), Just("cancel_checkout")]) {
        let mut world = common::world_with(mode);
        let mut archived: Vec<String> = Vec::new();
        for action in &actions {
            let before = world.clone();
            let outcome = world.apply(action);
            if outcome.result.is_err() {
                prop_assert_eq!(&world, &before, "refused {:?} changed the world", action);
                prop_assert!(outcome.changes.is_empty());
            }
            // An archived session can never be unarchived.
            for id in &archived {
                prop_assert!(world.session(id).unwrap().is_archived);
            }
            archived = world.sessions().iter().filter(|s| s.is_archived).map(|s| s.id.to_string()).collect();
            invariants(&world);
            prop_assert!(world.tick >= before.tick);
        }
    }

    #[test]
    fn the_engine_is_deterministic(actions in prop::collection::vec(any_action(), 1..30)) {
        let mut a = common::world();
        let mut b = common::world();
        for action in &actions {
            prop_assert_eq!(a.apply(action), b.apply(action));
        }
        prop_assert_eq!(a, b);
    }

    #[test]
    fn seeking_the_timeline_gives_the_world_of_that_step(actions in prop::collection::vec(any_action(), 1..80), targets in prop::collection::vec(0usize..80, 1..10)) {
        let mut timeline = Timeline::new(common::world());
        let mut worlds = vec![timeline.world().clone()];
        for action in actions {
            timeline.push("x", action, Origin::Branch);
            worlds.push(timeline.world().clone());
        }
        for t in targets {
            let t = t.min(worlds.len() - 1);
            timeline.seek(t);
            prop_assert_eq!(timeline.world(), &worlds[t]);
        }
    }

    #[test]
    fn any_bytes_give_a_positioned_error_or_a_scenario(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        if let Err(e) = load_bytes("fuzz.json", &bytes) {
            let shown = e.to_string();
            prop_assert!(shown.starts_with("fuzz.json:"));
            prop_assert!(!shown.chars().any(|c| c.is_control()));
        }
    }

    #[test]
    fn mangled_scenario_files_never_panic(cut in 0usize..4000, at in 0usize..4000, byte in any::<u8>()) {
        let text = include_str!("../scenarios/02-cancel-mid-checkout.json").as_bytes();
        let mut bytes = text[..cut.min(text.len())].to_vec();
        if !bytes.is_empty() {
            let i = at % bytes.len();
            bytes[i] = byte;
        }
        let _ = load_bytes("mangled.json", &bytes);
    }
}
