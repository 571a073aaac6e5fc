from documents.models.deliverable import Deliverable, DeliverableFile
from documents.models.files import StoredFile, storage_name
from documents.models.generated import GeneratedFile
from documents.models.material import Material, MaterialPart, MaterialVersion

__all__ = [
    "Deliverable",
    "DeliverableFile",
    "GeneratedFile",
    "Material",
    "MaterialPart",
    "MaterialVersion",
    "StoredFile",
    "storage_name",
]
