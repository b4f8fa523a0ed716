"""Clusterer, stable story ids and clustering metrics."""

from __future__ import annotations

import json
import pickle
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from storyline.cluster import (
    StoryClusterer,
    assign_story_ids,
    merge_pairs,
    training_pairs,
)
from storyline.cluster_model import FEATURE_NAMES, MERGE_FEATURE_NAMES, ClusterModel
from storyline.errors import ConfigError
from storyline.evaluate import clustering_scores
from storyline.features import OnlineTfidf, entity_tokens
from storyline.model import Article, Link, content_hash

QUAKE = Article(
    id="zz_peru_quake",
    title="Earthquake shakes southern Peru, no casualties reported",
    date=datetime(2022, 1, 22, tzinfo=UTC),
    text="\n".join([
        "A magnitude 6.1 earthquake struck southern Peru early on Saturday, the country's "
        "geophysical institute said.",
        "The quake was centred 40 kilometres north of the city of Arequipa at a depth of 110 "
        "kilometres.",
        "Residents in Arequipa and Moquegua ran into the streets as buildings swayed for almost "
        "a minute.",
        "Local officials said there were no immediate reports of casualties or major damage.",
        '"We felt it strongly, but the houses held," said Rosa Quispe, a market vendor.',
        "Peru sits on the Pacific Ring of Fire and records hundreds of tremors every year.",
        "Engineers were inspecting two bridges on the Pan-American Highway as a precaution.",
        "The institute said aftershocks were likely during the coming days.",
    ]),
)


def _groups(labels: dict[str, str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for article, label in sorted(labels.items()):
        out.setdefault(label, []).append(article)
    return out


def test_seeds_make_one_story(seed_articles: list[Article]) -> None:
    labels = StoryClusterer().fit(seed_articles).labels_
    assert set(labels) == {a.id for a in seed_articles}
    assert len(set(labels.values())) == 1


def test_unrelated_article_makes_a_second_story_and_seed_id_is_kept(
        seed_articles: list[Article]) -> None:
    before = assign_story_ids(_groups(StoryClusterer().fit(seed_articles).labels_), {})
    labels = StoryClusterer().fit([*seed_articles, QUAKE]).labels_
    assert len(set(labels.values())) == 2
    assert len({labels[a.id] for a in seed_articles}) == 1
    after = assign_story_ids(_groups(labels), before)
    seed_story = {after[a.id] for a in seed_articles}
    assert seed_story == set(before.values())
    assert after[QUAKE.id] == "s_" + content_hash(QUAKE.id)
    assert after[QUAKE.id] not in seed_story


def test_incremental_partial_fit_keeps_old_labels(seed_articles: list[Article]) -> None:
    clusterer = StoryClusterer().partial_fit(seed_articles)
    first = dict(clusterer.labels_)
    clusterer.partial_fit([QUAKE])
    assert {k: clusterer.labels_[k] for k in first} == first
    assert clusterer.labels_[QUAKE.id] not in set(first.values())


def test_deterministic_and_order_independent(seed_articles: list[Article]) -> None:
    articles = [*seed_articles, QUAKE]
    one = StoryClusterer().fit(articles).labels_
    two = StoryClusterer().fit(list(reversed(articles))).labels_
    assert one == two


def test_pickle_round_trip(seed_articles: list[Article]) -> None:
    clusterer = StoryClusterer().fit(seed_articles)
    restored = pickle.loads(pickle.dumps(clusterer))
    assert restored.labels_ == clusterer.labels_
    restored.partial_fit([QUAKE])
    clusterer.partial_fit([QUAKE])
    assert restored.labels_ == clusterer.labels_


def test_copy_joins_its_source_without_similarity(seed_articles: list[Article]) -> None:
    source = seed_articles[0]
    unrelated_copy = replace(QUAKE, id="zz_copy")
    links = {"zz_copy": Link("zz_copy", relation="rewrite", copy_of=source.id)}
    labels = StoryClusterer().fit([*seed_articles, QUAKE, unrelated_copy], links).labels_
    assert labels["zz_copy"] == labels[source.id]
    assert labels[QUAKE.id] != labels[source.id]


def _model(threshold: float = 0.5, **coef: float) -> ClusterModel:
    """A hand-made join model: named coefficients, the rest 0."""
    return ClusterModel(tuple(coef.get(name, 0.0) for name in FEATURE_NAMES),
                        coef.pop("intercept", 0.0) if "intercept" in coef else -5.0, threshold)


def test_far_apart_in_time_lowers_the_score(seed_articles: list[Article]) -> None:
    dated = [replace(a, date=datetime(2022, 1, 21, tzinfo=UTC)) for a in seed_articles]
    late = replace(dated[0], id="zz_late", date=datetime(2023, 1, 21, tzinfo=UTC))
    # Joining needs both a near copy (cos_all ≈ 1) and a small day gap (time_gauss ≈ 1).
    model = _model(cos_all=4.0, time_gauss=4.0, intercept=-6.0)
    strict = StoryClusterer(model=model).fit([dated[0], late]).labels_
    assert strict["zz_late"] != strict[dated[0].id]
    same_day = replace(late, date=dated[0].date)
    joined = StoryClusterer(model=model).fit([dated[0], same_day]).labels_
    assert joined["zz_late"] == joined[dated[0].id]


def test_undated_article_is_not_scored_at_an_imputed_date(seed_articles: list[Article]) -> None:
    # With one article a year later the batch's median day is months away from the Geneva
    # article; an undated copy of it must still join (time term neutral, not near zero).
    model = _model(cos_all=4.0, time_gauss=4.0, intercept=-6.0)
    dated = replace(seed_articles[0], date=datetime(2022, 1, 21, tzinfo=UTC))
    undated = replace(seed_articles[0], id="zz_undated", date=None)
    later = replace(QUAKE, date=datetime(2023, 1, 21, tzinfo=UTC))
    labels = StoryClusterer(model=model).fit([dated, undated, later]).labels_
    assert labels["zz_undated"] == labels[dated.id]
    assert labels[later.id] != labels[dated.id]


def test_shipped_model_separates_seeds_from_an_unrelated_article(
        seed_articles: list[Article]) -> None:
    model = ClusterModel.default()
    assert model.provenance.get("split", "").startswith("calibration half")
    labels = StoryClusterer(model=model).fit([*seed_articles, QUAKE]).labels_
    assert len({labels[a.id] for a in seed_articles}) == 1
    assert labels[QUAKE.id] != labels[seed_articles[0].id]


def test_model_json_round_trip_and_errors(tmp_path: Path) -> None:
    model = ClusterModel.default()
    path = tmp_path / "m.json"
    model.save(path)
    again = ClusterModel.load(path)
    assert again.coef == pytest.approx(model.coef) and again.threshold == model.threshold
    assert StoryClusterer(model=path).fit([QUAKE]).model_.threshold == model.threshold
    path.write_text('{"coef": [1, 2]}', encoding="utf-8")
    with pytest.raises(ConfigError, match="fit-clusterer"):
        ClusterModel.load(path)
    with pytest.raises(ConfigError, match="does not exist"):
        ClusterModel.load(tmp_path / "missing.json")


def test_training_pairs_positive_is_the_gold_story() -> None:
    articles = [
        Article(id="1", text="obama signs budget deal congress", gold="a"),
        Article(id="2", text="obama budget deal congress vote", gold="a"),
        Article(id="3", text="earthquake hits peru arequipa deal", gold="b"),
        Article(id="4", text="peru earthquake arequipa damage", gold="b"),
    ]
    features, labels = training_pairs(articles, negatives=1)
    assert features.shape == (labels.size, len(FEATURE_NAMES))
    # 2 joins its story (positive); 3 is new, its only candidate (story a, via "deal") is a
    # negative; 4 joins story b (positive), story a is no candidate (no shared token).
    assert labels.tolist() == [1, 0, 1]
    cos_all = FEATURE_NAMES.index("cos_all")
    assert features[0, cos_all] > features[1, cos_all] > 0.0
    with pytest.raises(ValueError, match="no gold label"):
        training_pairs([Article(id="x", text="no label")])


def test_member_index_is_bounded() -> None:
    articles = [Article(id=f"a{i:03d}", text=f"same story words here {i}") for i in range(30)]
    clusterer = StoryClusterer(model=_model(0.5, cos_all=20.0, intercept=-2.0),
                               max_members=4).fit(articles)
    assert len(set(clusterer.labels_.values())) == 1
    assert clusterer.members_.shape[0] == 4 and clusterer.sizes_.tolist() == [30]


def test_active_set_is_bounded() -> None:
    articles = [Article(id=f"a{i:03d}", text=f"topic{i} word{i} thing{i} stuff{i}")
                for i in range(40)]
    clusterer = StoryClusterer(max_active=10).fit(articles)
    assert len(clusterer.story_keys_) == 10
    assert len(set(clusterer.labels_.values())) == 40


def test_lowercase_text_degrades_gracefully() -> None:
    articles = [
        Article(id="1", text="obama signs budget deal congress"),
        Article(id="2", text="obama budget deal congress vote"),
        Article(id="3", text="earthquake hits peru arequipa"),
        Article(id="4", text="peru earthquake arequipa damage"),
    ]
    labels = StoryClusterer().fit(articles).labels_
    assert labels["1"] == labels["2"] != labels["3"] == labels["4"]


def test_entity_tokens() -> None:
    found = entity_tokens("The U.S. said Antony Blinken met NATO about 100,000 troops.")
    assert {"us", "nato", "100000", "blinken", "antony_blinken"} <= set(found)
    assert "the" not in found
    assert entity_tokens("all lower case words only") == []


def test_online_tfidf_merge_and_rows_normalised() -> None:
    docs = [["a", "b"], ["a", "c"], []]
    one = OnlineTfidf(n_features=64).partial_fit(docs[:1])
    two = OnlineTfidf(n_features=64).partial_fit(docs[1:])
    whole = OnlineTfidf(n_features=64).partial_fit(docs)
    assert (one.merge(two).df_ == whole.df_).all()
    matrix = whole.transform(docs)
    norms = matrix.multiply(matrix).sum(axis=1)
    assert norms[0, 0] == pytest.approx(1.0) and norms[2, 0] == 0.0


def test_assign_story_ids_greedy_overlap_and_new_ids() -> None:
    previous = {"a": "s_old1", "b": "s_old1", "c": "s_old2"}
    groups = [["a", "c"], ["b"], ["x", "y"]]
    ids = assign_story_ids(groups, previous)
    # {a, c} overlaps s_old1 and s_old2 once each: ties go to the smaller old id.
    assert ids["a"] == ids["c"] == "s_old1"
    # {b} overlaps only s_old1, already taken: it is a new story, named after its founder.
    assert ids["b"] == "s_" + content_hash("b")
    assert ids["x"] == ids["y"] == "s_" + content_hash("x")
    dates = {"x": datetime(2022, 2, 1, tzinfo=UTC), "y": datetime(2022, 1, 1, tzinfo=UTC)}
    assert assign_story_ids([["x", "y"]], {}, dates)["x"] == "s_" + content_hash("y")
    assert assign_story_ids(groups, previous) == ids


def test_assign_story_ids_never_reuses_an_id() -> None:
    founder = "s_" + content_hash("a")
    ids = assign_story_ids({"k1": ["a"], "k2": ["b", "c"]}, {"b": founder, "c": founder})
    assert ids["b"] == founder
    assert ids["a"] != founder and ids["a"].startswith("s_")


def test_scores_perfect_and_singletons() -> None:
    gold = {"1": "x", "2": "x", "3": "y", "4": "y"}
    perfect = clustering_scores(gold, {"1": "p", "2": "p", "3": "q", "4": "q"})
    for key in ("pairwise_f1", "bcubed_f1", "nmi", "ari"):
        assert perfect[key] == pytest.approx(1.0)
    singletons = clustering_scores(gold, {k: k for k in gold})
    assert singletons["pairwise_recall"] == 0.0
    assert singletons["pairwise_f1"] == 0.0
    assert singletons["bcubed_precision"] == pytest.approx(1.0)
    assert singletons["bcubed_recall"] == pytest.approx(0.5)


def test_scores_hand_case() -> None:
    gold = {"1": "x", "2": "x", "3": "x", "4": "y"}
    pred = {"1": "p", "2": "p", "3": "q", "4": "q"}
    scores = clustering_scores(gold, pred)
    # Pairs: gold {12,13,23}, pred {12,34}; together {12}.
    assert scores["pairwise_precision"] == pytest.approx(0.5)
    assert scores["pairwise_recall"] == pytest.approx(1 / 3)
    # BCubed precision: 1, 1, 1/2, 1/2 → 0.75; recall: 2/3, 2/3, 1/3, 1 → 2/3.
    assert scores["bcubed_precision"] == pytest.approx(0.75)
    assert scores["bcubed_recall"] == pytest.approx(2 / 3)
    all_one = clustering_scores(gold, {k: "z" for k in gold})
    assert all_one["pairwise_recall"] == 1.0 and all_one["bcubed_recall"] == 1.0


def test_scores_need_shared_ids() -> None:
    with pytest.raises(ValueError, match="share no article id"):
        clustering_scores({"1": "x"}, {"2": "y"})


def test_merge_pass_joins_fragments_into_the_older_story() -> None:
    articles = [
        Article(id="1", text="obama signs budget deal congress"),
        Article(id="2", text="obama budget deal senate vote"),
        Article(id="3", text="earthquake hits peru arequipa"),
    ]
    # The join model only takes near copies; the merge model takes any shared topic.
    strict = _model(0.5, cos_all=20.0, intercept=-19.0)
    split = StoryClusterer(model=strict).fit(articles).labels_
    assert len(set(split.values())) == 3
    merging = strict.with_merge(tuple(20.0 if name == "cos_all" else 0.0
                                      for name in MERGE_FEATURE_NAMES), -4.0, 0.5)
    clusterer = StoryClusterer(model=merging).fit(articles)
    labels = clusterer.labels_
    assert labels == {"1": "1", "2": "1", "3": "3"}
    assert sorted(clusterer.story_keys_) == ["1", "3"]
    assert clusterer.sizes_.tolist() == [2, 1]
    assert clusterer.members_.shape[0] == 3
    assert pickle.loads(pickle.dumps(clusterer)).labels_ == labels


def test_model_with_merge_part_round_trips_and_old_format_loads(tmp_path: Path) -> None:
    merge_coef = tuple(float(i) for i in range(len(MERGE_FEATURE_NAMES)))
    model = _model(0.3, cos_all=5.0).with_merge(merge_coef, -1.0, 0.7)
    path = tmp_path / "m.json"
    model.save(path)
    again = ClusterModel.load(path)
    assert again.merges and again.merge_coef == model.merge_coef
    assert again.merge_threshold == 0.7
    data = json.loads(path.read_text(encoding="utf-8"))
    del data["merge"]
    data["format"] = 1
    path.write_text(json.dumps(data), encoding="utf-8")
    assert not ClusterModel.load(path).merges
    with pytest.raises(ConfigError, match="merge"):
        model.with_merge((1.0, 2.0), 0.0, 0.5)


def test_merge_pairs_label_story_pairs_by_majority_gold() -> None:
    articles = [
        Article(id="1", text="obama signs budget deal congress", gold="a"),
        Article(id="2", text="obama budget deal senate vote", gold="a"),
        Article(id="3", text="earthquake hits peru deal arequipa", gold="b"),
    ]
    features, labels = merge_pairs(articles, _model(0.5, cos_all=20.0, intercept=-19.0))
    assert features.shape == (labels.size, len(MERGE_FEATURE_NAMES))
    # Story 2 vs story 1 (same gold) is positive; story 3 vs either is negative.
    assert 1 in labels.tolist() and 0 in labels.tolist()


# -- long-article regime ---------------------------------------------------------------------
def test_long_regime_round_trips_and_old_files_still_load(tmp_path: Path) -> None:
    short, long = _model(cos_all=9.0), _model(cos_all=3.0, intercept=-2.0)
    model = short.with_long(long, 20)
    path = tmp_path / "model.json"
    model.save(path)
    again = ClusterModel.load(path)
    assert again.long is not None and again.long.coef == long.coef
    assert again.long_min_tokens == 20
    assert again.regime(19) is again and again.regime(20) is again.long
    data = json.loads(path.read_text())
    del data["long_regime"]  # a format-2 file: one model for every length
    path.write_text(json.dumps(data))
    assert ClusterModel.load(path).regime(10_000).long is None


def test_long_regime_must_be_one_regime_with_a_gate() -> None:
    inner = _model().with_long(_model(), 5)
    with pytest.raises(ConfigError, match="one-regime"):
        _model().with_long(inner, 5)
    with pytest.raises(ConfigError, match="long_min_tokens"):
        replace(_model(), long=_model(), long_min_tokens=0)


def test_articles_are_decided_by_their_length_regime(seed_articles: list[Article]) -> None:
    """Short articles follow the outer model (always join), long ones the long regime
    (never join): the same near-duplicates end up together only when they are short."""
    always = _model(threshold=0.5, intercept=5.0)
    never = _model(threshold=0.5, intercept=-50.0)
    model = always.with_long(never, 20)
    base = seed_articles[0]
    long_twins = [replace(base, id=f"long{i}") for i in range(3)]
    short_text = "Blinken and Lavrov meet in Geneva over Ukraine troops"
    short_twins = [replace(base, id=f"short{i}", title="", text=short_text) for i in range(3)]
    labels = StoryClusterer(model=model).fit([*long_twins, *short_twins]).labels_
    assert len({labels[a.id] for a in long_twins}) == 3
    assert len({labels[a.id] for a in short_twins}) == 1


def test_article_pair_features_match_the_clusterers_view(seed_articles: list[Article]) -> None:
    from storyline.cluster import article_pair_features

    a, b = seed_articles[0], seed_articles[2]
    twin = replace(a, id="twin")
    features, lengths = article_pair_features([(a, twin), (a, b), (a, QUAKE)])
    cos_all = FEATURE_NAMES.index("cos_all")
    assert features[0, cos_all] == pytest.approx(1.0)
    assert features[0, cos_all] > features[1, cos_all] > features[2, cos_all] >= 0.0
    # One-article story: best member, average link and centroid cosines coincide.
    for name in ("max_all", "avg_all"):
        assert features[1, FEATURE_NAMES.index(name)] == pytest.approx(features[1, cos_all])
    assert lengths[0] > 100


def test_models_from_before_the_entity_field_signals_still_load(tmp_path: Path) -> None:
    """A file with the first nine features decides as before: the two later ones get 0."""
    data = _model(cos_all=9.0).to_dict()
    data["features"] = data["features"][:9]
    data["coef"] = data["coef"][:9]
    path = tmp_path / "old.json"
    path.write_text(json.dumps(data))
    model = ClusterModel.load(path)
    assert len(model.coef) == len(FEATURE_NAMES)
    assert model.coef[FEATURE_NAMES.index("cos_all")] == 9.0
    assert model.coef[FEATURE_NAMES.index("cos_entity_title")] == 0.0
    data["features"] = list(reversed(data["features"]))
    path.write_text(json.dumps(data))
    with pytest.raises(ConfigError, match="refit"):
        ClusterModel.load(path)


def test_entity_signals_by_field(seed_articles: list[Article]) -> None:
    """Two articles whose titles name the same people score on the title-entity signal even
    when their bodies share none of those names."""
    from storyline.cluster import article_pair_features

    a = replace(seed_articles[0], id="ta", title="Blinken meets Lavrov in Geneva",
                text="The two ministers talked for ninety minutes about the crisis.")
    b = replace(seed_articles[0], id="tb", title="Lavrov and Blinken hold Geneva talks",
                text="Officials described the meeting as frank and useful.")
    features, _ = article_pair_features([(a, b)])
    assert features[0, FEATURE_NAMES.index("cos_entity_title")] > 0.5
    assert features[0, FEATURE_NAMES.index("cos_entity_body")] == 0.0


def test_a_long_batch_retires_stale_stories_between_slices(
        seed_articles: list[Article], monkeypatch: pytest.MonkeyPatch) -> None:
    """One huge batch is a stream too: with a time-blind model, a copy a year later joins the
    old story only while that story is still active."""
    import storyline.cluster as cluster

    base = replace(seed_articles[0], date=datetime(2020, 1, 1, tzinfo=UTC))
    batch = [base, replace(base, id="filler"),
             replace(base, id="late", date=datetime(2021, 1, 1, tzinfo=UTC)),
             replace(base, id="late2", date=datetime(2021, 1, 1, tzinfo=UTC))]
    model = _model(0.5, cos_all=20.0, intercept=-10.0)  # joins near-duplicates, any date
    whole = StoryClusterer(model=model).fit(batch).labels_
    assert whole["late"] == whole[base.id]
    monkeypatch.setattr(cluster, "VECTORISE_BATCH", 2)
    sliced = StoryClusterer(model=model).fit(batch).labels_
    assert sliced["late"] != sliced[base.id] and sliced["late2"] == sliced["late"]
