"""Assessment methodologies as declarative, validated data (YAML or JSON).

A methodology declares the actor (network) indicators, the market (crime-area) indicators, how they
aggregate into bands, how grading weighs evidence, the prioritisation rules and, optionally,
composite indices over country-level indicator tables. `load_methodology` checks the structure with
JSON Schema and the meaning with semantic checks, and raises one `MethodologyError` listing every
problem with its path (`actor_indicators[3].weight`) and, for YAML text, its line.

Pure module: no Django import. The known indicator codes are passed in (or default to the plain
tuples below, which a test keeps equal to the documentation vocabulary)."""

from __future__ import annotations

import ast
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import yaml

#: The actor indicators of the documentation issue (`documentation.choices.NETWORK_INDICATOR_CODES`).
NETWORK_INDICATOR_CODES: tuple[str, ...] = (
    "international_dimension",
    "legal_business_structures",
    "violence",
    "corruption",
    "counter_measures",
    "money_laundering",
    "adaptability",
    "territorial_control",
    "cooperation",
    "resources_expertise",
    "longevity",
)

#: Market indicators computed from the networks active in a crime area and place.
NETWORK_MARKET_INDICATORS: tuple[str, ...] = ("high_threat_share", "high_threat_count", "network_score")
#: Market indicators read from the threat reports of a crime area and place.
REPORT_MARKET_INDICATORS: tuple[str, ...] = (
    "scale",
    "trend",
    "geographic_spread",
    "enablers",
    "harm_physical",
    "harm_economic",
    "harm_social",
    "harm_environmental",
    "harm_institutional",
)
MARKET_INDICATOR_CODES: tuple[str, ...] = NETWORK_MARKET_INDICATORS + REPORT_MARKET_INDICATORS

#: The grading schemes of `sharing.choices` and their grades (reliability, credibility).
GRADING_SCHEME_GRADES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "admiralty": (("A", "B", "C", "D", "E", "F"), ("1", "2", "3", "4", "5", "6")),
    "europol": (("A", "B", "C", "X"), ("1", "2", "3", "4")),
}

#: The functions a composite formula may call.
FORMULA_FUNCTIONS = ("mean", "min", "max", "weighted")
#: How deeply a formula may nest (its evaluation recurses).
MAX_FORMULA_DEPTH = 64


@dataclass(frozen=True)
class Issue:
    """One problem of a definition: where (a path, and the line when known) and what."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.path} (line {self.line})" if self.line is not None else self.path
        return f"{where}: {self.message}"


class MethodologyError(ValueError):
    """A definition that cannot be used; `issues` lists every problem found, not just the first."""

    def __init__(self, issues: Sequence[Issue]) -> None:
        self.issues = list(issues)
        super().__init__("\n".join(str(issue) for issue in self.issues))


@dataclass(frozen=True)
class ActorIndicator:
    code: str
    weight: float
    labels: tuple[str, ...]
    unknown: str = "exclude"


@dataclass(frozen=True)
class MarketIndicator:
    """A crime-area indicator; raw values are normalised to 0–1 over [low, high] (clipped, so `high`
    is a saturation cap for counts) and aggregated over states with `aggregate` (mean or max)."""

    code: str
    weight: float
    low: float
    high: float
    aggregate: str = "mean"


@dataclass(frozen=True)
class Band:
    code: str
    label: str
    threshold: float


@dataclass(frozen=True)
class Prioritisation:
    top_n: int
    min_score: float
    mandatory: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quadrant:
    code: str
    label: str
    x: str  # "high" or "low"
    y: str


@dataclass(frozen=True)
class Composite:
    """Composite indices over a country × indicator table: groups of columns, formulas over them,
    a common scale and a quadrant typology at a cut-off."""

    scale_min: float
    scale_max: float
    groups: dict[str, tuple[str, ...]]
    formulas: dict[str, str]
    parsed: dict[str, ast.Expression] = field(repr=False, compare=False)
    typology_x: str | None = None
    typology_y: str | None = None
    cutoff: float | None = None
    quadrants: tuple[Quadrant, ...] = ()

    @property
    def columns(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for codes in self.groups.values():
            seen.update(dict.fromkeys(codes))
        return tuple(seen)


@dataclass(frozen=True)
class Methodology:
    """A validated methodology. Build it with `load_methodology` or `parse_methodology`."""

    code: str
    version: int
    name: str
    scale_min: int
    scale_max: int
    actor_indicators: tuple[ActorIndicator, ...]
    min_coverage: float
    bands: tuple[Band, ...]
    high_threat_band: str
    market_indicators: tuple[MarketIndicator, ...]
    weigh_by_confidence: bool
    grading: dict[str, tuple[dict[str, float], dict[str, float]]]
    prioritisation: Prioritisation
    composite: Composite | None
    definition: dict[str, Any] = field(repr=False, compare=False)

    @property
    def high_threat_threshold(self) -> float:
        return next(band.threshold for band in self.bands if band.code == self.high_threat_band)

    def confidence(self, scheme: str, reliability: str, credibility: str) -> float:
        """The confidence factor of a grading: reliability factor × credibility factor."""
        reliabilities, credibilities = self.grading[scheme]
        return reliabilities[reliability] * credibilities[credibility]


_NUMBER = {"type": "number"}
_CODE = {"type": "string", "pattern": "^[a-z][a-z0-9_]*$"}

SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "additionalProperties": False,
    "required": [
        "code",
        "version",
        "name",
        "scale",
        "actor_indicators",
        "market_indicators",
        "aggregation",
        "grading",
        "prioritisation",
    ],
    "properties": {
        "code": {"type": "string", "pattern": "^[a-z0-9][a-z0-9-]*$"},
        "version": {"type": "integer", "minimum": 1},
        "name": {"type": "string", "minLength": 1},
        "description": {"type": "string"},
        "scale": {
            "type": "object",
            "additionalProperties": False,
            "required": ["min", "max", "labels"],
            "properties": {
                "min": {"type": "integer"},
                "max": {"type": "integer"},
                "labels": {"type": "array", "items": {"type": "string"}},
            },
        },
        "actor_indicators": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "weight"],
                "properties": {
                    "code": _CODE,
                    "weight": _NUMBER,
                    "unknown": {"enum": ["exclude"]},
                    "labels": {"type": "array", "items": {"type": "string"}},
                    "description": {"type": "string"},
                },
            },
        },
        "market_indicators": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "additionalProperties": False,
                "required": ["code", "weight", "range"],
                "properties": {
                    "code": _CODE,
                    "weight": _NUMBER,
                    "range": {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2},
                    "aggregate": {"enum": ["mean", "max"]},
                    "description": {"type": "string"},
                },
            },
        },
        "aggregation": {
            "type": "object",
            "additionalProperties": False,
            "required": ["network", "crime_area"],
            "properties": {
                "network": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["bands", "high_threat_band"],
                    "properties": {
                        "min_coverage": {"type": "number", "minimum": 0, "maximum": 1},
                        "high_threat_band": _CODE,
                        "bands": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["code", "label", "threshold"],
                                "properties": {
                                    "code": _CODE,
                                    "label": {"type": "string"},
                                    "threshold": _NUMBER,
                                },
                            },
                        },
                    },
                },
                "crime_area": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {"weigh_by_confidence": {"type": "boolean"}},
                },
            },
        },
        "grading": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "additionalProperties": False,
                "required": ["reliability", "credibility"],
                "properties": {
                    "reliability": {"type": "object", "additionalProperties": _NUMBER},
                    "credibility": {"type": "object", "additionalProperties": _NUMBER},
                },
            },
        },
        "prioritisation": {
            "type": "object",
            "additionalProperties": False,
            "required": ["top_n"],
            "properties": {
                "top_n": {"type": "integer", "minimum": 1},
                "min_score": {"type": "number", "minimum": 0, "maximum": 1},
                "mandatory": {"type": "array", "items": {"type": "string"}},
            },
        },
        "composite": {
            "type": "object",
            "additionalProperties": False,
            "required": ["scale", "groups", "formulas"],
            "properties": {
                "description": {"type": "string"},
                "scale": {"type": "array", "items": _NUMBER, "minItems": 2, "maxItems": 2},
                "groups": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"type": "array", "minItems": 1, "items": _CODE},
                },
                "formulas": {
                    "type": "object",
                    "minProperties": 1,
                    "additionalProperties": {"type": "string", "minLength": 1, "maxLength": 2000},
                },
                "typology": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["x", "y", "cutoff", "quadrants"],
                    "properties": {
                        "x": {"type": "string"},
                        "y": {"type": "string"},
                        "cutoff": _NUMBER,
                        "quadrants": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "additionalProperties": False,
                                "required": ["code", "label", "x", "y"],
                                "properties": {
                                    "code": _CODE,
                                    "label": {"type": "string"},
                                    "x": {"enum": ["high", "low"]},
                                    "y": {"enum": ["high", "low"]},
                                },
                            },
                        },
                    },
                },
            },
        },
    },
}


def format_path(parts: Iterable[str | int]) -> str:
    """`["actor_indicators", 3, "weight"]` → `actor_indicators[3].weight`."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text or "(definition)"


def _yaml_lines(text: str) -> dict[str, int]:
    """Path → 1-based line of every node of a YAML document (empty when it does not compose)."""
    lines: dict[str, int] = {}

    def walk(node: yaml.Node, parts: list[str | int]) -> None:
        lines[format_path(parts)] = node.start_mark.line + 1
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                walk(value, [*parts, str(key.value)])
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                walk(item, [*parts, index])

    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}
    if root is not None:
        walk(root, [])
    return lines


def load_methodology(
    source: str | Path,
    *,
    network_indicators: Iterable[str] = NETWORK_INDICATOR_CODES,
) -> Methodology:
    """Parse a YAML or JSON definition (text, or the path of a file) and validate it."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    try:
        data = yaml.safe_load(text)  # JSON is YAML
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise MethodologyError([Issue("(definition)", f"not valid YAML or JSON: {error}", line)]) from None
    return parse_methodology(data, network_indicators=network_indicators, lines=_yaml_lines(text))


def parse_methodology(
    data: Any,
    *,
    network_indicators: Iterable[str] = NETWORK_INDICATOR_CODES,
    lines: Mapping[str, int] | None = None,
) -> Methodology:
    """Validate a definition already parsed into Python data and build the `Methodology`."""
    lines = lines or {}
    issues: list[Issue] = []

    def add(parts: Sequence[str | int], message: str) -> None:
        path = format_path(parts)
        issues.append(Issue(path, message, lines.get(path)))

    validator = jsonschema.Draft202012Validator(SCHEMA)
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(p) for p in e.absolute_path]):
        add(list(error.absolute_path), error.message)
    if issues:
        raise MethodologyError(issues)
    _check_semantics(data, set(network_indicators), add)
    if issues:
        raise MethodologyError(issues)
    return _build(data)


def _check_weights(items: list[dict[str, Any]], section: str, add: Any) -> None:
    for index, item in enumerate(items):
        if item["weight"] < 0:
            add([section, index, "weight"], "a weight cannot be negative")
    if items and all(item["weight"] == 0 for item in items):
        add([section], "the weights cannot all be zero")


def _check_unique(items: list[dict[str, Any]], section: str, add: Any) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        if item["code"] in seen:
            add([section, index, "code"], f"duplicate code {item['code']!r}")
        seen.add(item["code"])


def _check_semantics(data: dict[str, Any], known_actor: set[str], add: Any) -> None:
    scale = data["scale"]
    levels = scale["max"] - scale["min"] + 1
    if scale["max"] <= scale["min"]:
        add(["scale", "max"], "the scale's maximum must be above its minimum")
    elif len(scale["labels"]) != levels:
        add(["scale", "labels"], f"the scale has {levels} levels but {len(scale['labels'])} labels")

    actors = data["actor_indicators"]
    for index, item in enumerate(actors):
        if item["code"] not in known_actor:
            add(["actor_indicators", index, "code"], f"unknown network indicator {item['code']!r}")
        labels = item.get("labels")
        if labels is not None and scale["max"] > scale["min"] and len(labels) != levels:
            add(
                ["actor_indicators", index, "labels"],
                f"the scale has {levels} levels but {len(labels)} labels",
            )
    _check_unique(actors, "actor_indicators", add)
    _check_weights(actors, "actor_indicators", add)

    markets = data["market_indicators"]
    for index, item in enumerate(markets):
        if item["code"] not in MARKET_INDICATOR_CODES:
            add(["market_indicators", index, "code"], f"unknown market indicator {item['code']!r}")
        low, high = item["range"]
        if high <= low:
            add(["market_indicators", index, "range"], "the range must go from a lower to a higher value")
    _check_unique(markets, "market_indicators", add)
    _check_weights(markets, "market_indicators", add)

    network = data["aggregation"]["network"]
    bands = network["bands"]
    thresholds = [band["threshold"] for band in bands]
    if thresholds[0] != 0:
        add(["aggregation", "network", "bands", 0, "threshold"], "the first band must start at 0")
    for index in range(1, len(bands)):
        if not thresholds[index - 1] < thresholds[index]:
            add(
                ["aggregation", "network", "bands", index, "threshold"],
                "band thresholds must increase strictly",
            )
    for index, value in enumerate(thresholds):
        if not 0 <= value <= 1:
            add(["aggregation", "network", "bands", index, "threshold"], "a threshold must lie in 0–1")
    _check_unique(bands, "aggregation.network.bands", add)
    if network["high_threat_band"] not in {band["code"] for band in bands}:
        add(["aggregation", "network", "high_threat_band"], "not one of the bands")

    for scheme, factors in data["grading"].items():
        grades = GRADING_SCHEME_GRADES.get(scheme)
        if grades is None:
            add(["grading", scheme], f"unknown grading scheme {scheme!r}")
            continue
        for axis, codes in zip(("reliability", "credibility"), grades, strict=True):
            given = factors[axis]
            for code in codes:
                if code not in given:
                    add(["grading", scheme, axis], f"no factor for grade {code!r}")
            for code, value in given.items():
                if code not in codes:
                    add(["grading", scheme, axis, code], f"unknown grade {code!r}")
                elif not 0 <= value <= 1:
                    add(["grading", scheme, axis, code], "a factor must lie in 0–1")

    if "composite" in data:
        _check_composite(data["composite"], add)


def _check_composite(composite: dict[str, Any], add: Any) -> None:
    low, high = composite["scale"]
    if high <= low:
        add(["composite", "scale"], "the scale must go from a lower to a higher value")
    groups = composite["groups"]
    defined: set[str] = set()
    for name, formula in composite["formulas"].items():
        if name in groups:
            add(["composite", "formulas", name], f"{name!r} is already a group")
        for message in formula_issues(formula, groups=set(groups), values=defined):
            add(["composite", "formulas", name], message)
        defined.add(name)
    typology = composite.get("typology")
    if typology is None:
        return
    for axis in ("x", "y"):
        if typology[axis] not in composite["formulas"]:
            add(["composite", "typology", axis], f"{typology[axis]!r} is not a formula")
    if not low <= typology["cutoff"] <= high:
        add(["composite", "typology", "cutoff"], "the cut-off must lie on the scale")
    corners = [(q["x"], q["y"]) for q in typology["quadrants"]]
    if sorted(corners) != sorted((x, y) for x in ("high", "low") for y in ("high", "low")):
        add(["composite", "typology", "quadrants"], "declare each of the four quadrants exactly once")


def formula_issues(formula: str, *, groups: set[str], values: set[str]) -> list[str]:
    """Problems of a composite formula (empty when it is usable). Only names, numbers, + - * /,
    unary minus and calls of `mean`, `min`, `max`, `weighted` are allowed; a group name may appear
    only as an argument of those functions (it stands for its indicators), other names must be
    formulas declared earlier. Never evaluated with `eval`."""
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as error:
        return [f"syntax error at column {error.offset}: {error.msg}"]
    except (RecursionError, MemoryError):
        return ["the formula is nested too deeply"]
    if _depth(tree) > MAX_FORMULA_DEPTH:
        return ["the formula is nested too deeply"]
    problems: list[str] = []

    def visit(node: ast.AST, in_call: bool) -> None:
        if isinstance(node, ast.Expression):
            visit(node.body, False)
        elif isinstance(node, ast.Constant):
            if isinstance(node.value, bool) or not isinstance(node.value, int | float):
                problems.append(f"only numbers are allowed, not {node.value!r}")
        elif isinstance(node, ast.Name):
            if node.id in groups:
                if not in_call:
                    problems.append(f"the group {node.id!r} must be reduced, e.g. mean({node.id})")
            elif node.id not in values:
                problems.append(f"unknown group or formula {node.id!r}")
        elif isinstance(node, ast.BinOp):
            if not isinstance(node.op, ast.Add | ast.Sub | ast.Mult | ast.Div):
                problems.append("only + - * / are allowed")
            visit(node.left, False)
            visit(node.right, False)
        elif isinstance(node, ast.UnaryOp):
            if not isinstance(node.op, ast.USub | ast.UAdd):
                problems.append("only unary minus is allowed")
            visit(node.operand, False)
        elif isinstance(node, ast.Call):
            if not isinstance(node.func, ast.Name) or node.func.id not in FORMULA_FUNCTIONS:
                problems.append(f"only the functions {', '.join(FORMULA_FUNCTIONS)} are allowed")
                return
            if node.keywords or not node.args:
                problems.append(f"{node.func.id}() takes one or more positional arguments")
            if node.func.id == "weighted":
                pairs = node.args
                if len(pairs) % 2:
                    problems.append("weighted() takes value, weight pairs")
                for weight in pairs[1::2]:
                    number = literal_number(weight)
                    if number is None:
                        problems.append("the weights of weighted() must be numbers")
                    elif number < 0:
                        problems.append("the weights of weighted() cannot be negative")
                for value in pairs[0::2]:
                    visit(value, False)
                return
            for arg in node.args:
                visit(arg, True)
        else:
            problems.append(f"{type(node).__name__} is not allowed in a formula")

    try:
        visit(tree, False)
    except RecursionError:
        return ["the formula is nested too deeply"]
    return problems


def _depth(tree: ast.AST) -> int:
    """How deeply an expression nests (iteratively, so no recursion limit is reached)."""
    deepest, stack = 0, [(tree, 0)]
    while stack:
        node, level = stack.pop()
        deepest = max(deepest, level)
        stack.extend((child, level + 1) for child in ast.iter_child_nodes(node))
    return deepest


def literal_number(node: ast.AST) -> float | None:
    """The value of a numeric literal (with an optional sign), or None."""
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub | ast.UAdd):
        inner = literal_number(node.operand)
        return None if inner is None else (-inner if isinstance(node.op, ast.USub) else inner)
    if (
        isinstance(node, ast.Constant)
        and not isinstance(node.value, bool)
        and isinstance(node.value, int | float)
    ):
        return float(node.value)
    return None


def _build(data: dict[str, Any]) -> Methodology:
    scale = data["scale"]
    actors = tuple(
        ActorIndicator(
            code=item["code"],
            weight=float(item["weight"]),
            labels=tuple(item.get("labels", scale["labels"])),
            unknown=item.get("unknown", "exclude"),
        )
        for item in data["actor_indicators"]
    )
    markets = tuple(
        MarketIndicator(
            code=item["code"],
            weight=float(item["weight"]),
            low=float(item["range"][0]),
            high=float(item["range"][1]),
            aggregate=item.get("aggregate", "mean"),
        )
        for item in data["market_indicators"]
    )
    network = data["aggregation"]["network"]
    rules = data["prioritisation"]
    composite = None
    if "composite" in data:
        spec = data["composite"]
        typology = spec.get("typology") or {}
        composite = Composite(
            scale_min=float(spec["scale"][0]),
            scale_max=float(spec["scale"][1]),
            groups={name: tuple(codes) for name, codes in spec["groups"].items()},
            formulas=dict(spec["formulas"]),
            parsed={name: ast.parse(text, mode="eval") for name, text in spec["formulas"].items()},
            typology_x=typology.get("x"),
            typology_y=typology.get("y"),
            cutoff=float(typology["cutoff"]) if typology else None,
            quadrants=tuple(
                Quadrant(code=q["code"], label=q["label"], x=q["x"], y=q["y"])
                for q in typology.get("quadrants", [])
            ),
        )
    return Methodology(
        code=data["code"],
        version=data["version"],
        name=data["name"],
        scale_min=scale["min"],
        scale_max=scale["max"],
        actor_indicators=actors,
        min_coverage=float(network.get("min_coverage", 0.0)),
        bands=tuple(Band(b["code"], b["label"], float(b["threshold"])) for b in network["bands"]),
        high_threat_band=network["high_threat_band"],
        market_indicators=markets,
        weigh_by_confidence=bool(data["aggregation"]["crime_area"].get("weigh_by_confidence", True)),
        grading={
            scheme: (
                {k: float(v) for k, v in factors["reliability"].items()},
                {k: float(v) for k, v in factors["credibility"].items()},
            )
            for scheme, factors in data["grading"].items()
        },
        prioritisation=Prioritisation(
            top_n=rules["top_n"],
            min_score=float(rules.get("min_score", 0.0)),
            mandatory=tuple(rules.get("mandatory", [])),
        ),
        composite=composite,
        definition=json.loads(json.dumps(data)),
    )


#: Where the methodologies shipped with Ceiba live.
METHODOLOGIES_DIR = Path(__file__).resolve().parent / "methodologies"


def default_methodology() -> Methodology:
    """The documented default, "IDEAL-Ceiba v1"."""
    return load_methodology(METHODOLOGIES_DIR / "ideal-ceiba-v1.yaml")
