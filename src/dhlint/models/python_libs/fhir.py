"""FHIR resources (``fhir.resources``, SMART's ``fhirclient``): a resource about a person.

A ``Patient`` (or ``RelatedPerson``, ``Person``, ``Practitioner``) parsed from a message or a
request body (``Patient.parse_obj(raw)``, ``Patient.model_validate(raw)``, ``Patient(**raw)``,
``construct_fhir_element("Patient", raw)``, fhirclient's ``Patient(jsondict)``) holds the
person's name, contact points, address, birth date, sex and identifiers (a medical record
number, a national id). Its elements are read as attributes (``patient.name[0].family``,
``patient.telecom[0].value``) and it is serialised whole (``patient.json()``, ``.dict()``,
``.model_dump()``, fhirclient's ``.as_json()``).
"""

from __future__ import annotations

from dhlint.frontends.python_ast import call_args
from dhlint.models.python_values import RAW, UNKNOWN, Col, Frame, Step, Str, Val

# The elements of a FHIR person resource (R4, R4B, STU3, R5 alike), each with the name the
# policy's identifier taxonomy knows it by: what the element holds.
_PERSON = {
    "name": "full_name",
    "telecom": "phone",  # ContactPoint: phone numbers and e-mail addresses
    "address": "address",
    "birthDate": "birth_date",
    "gender": "gender",
    "identifier": "medical_record_number",  # MRN, SSN, driver's licence...
    "photo": "face_image",
}
RESOURCES = {
    "Patient": _PERSON,
    "RelatedPerson": _PERSON,
    "Person": _PERSON,
    "Practitioner": _PERSON,
}
# Class methods that build a resource from a mapping or its JSON text (pydantic v1 and v2).
_PARSERS = frozenset(
    {
        "parse_obj",
        "parse_raw",
        "parse_file",
        "model_validate",
        "model_validate_json",
        "construct",
        "model_construct",
    }
)
# A resource's methods that give it whole, as a dict or its JSON text.
DUMPS = frozenset({"dict", "json", "model_dump", "model_dump_json", "as_json"})


class FhirCalls:
    """A FHIR person resource built or parsed: a record of the person's elements."""

    def _fhir_ref(self, qname: str, last: str, args, kwargs, node) -> Val:
        if last == "construct_fhir_element":
            kind = args[0] if args else kwargs.get("element_type")
            resource = kind.text if isinstance(kind, Str) and kind.known else ""
        elif last in _PARSERS:
            resource = qname.rsplit(".", 2)[-2]
        else:
            resource = last  # the class called: Patient(**raw), fhirclient's Patient(jsondict)
        elements = RESOURCES.get(resource)
        if elements is None:
            return UNKNOWN
        unpacked = any(arg.star == "**" for arg in call_args(node))
        if not args and kwargs and resource == last and not unpacked:
            # Patient(name=[...], gender="female"): the elements given, nothing else
            elements = {k: v for k, v in elements.items() if k in kwargs}
        step = Step(node, f"FHIR {resource}")
        cols = {
            element: Col(element, (element, what), RAW, (step,))
            for element, what in elements.items()
        }
        return Frame("rows", cols)
