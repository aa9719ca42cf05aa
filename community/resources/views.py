from django.shortcuts import get_object_or_404, render

from .models import Resource


def resource_list(request):
    resources = Resource.objects.all()
    return render(request, "resources/list.html", {"resources": resources})


def resource_detail(request, slug):
    resource = get_object_or_404(Resource, slug=slug)
    sections = list(resource.sections.all())
    return render(
        request, "resources/detail.html", {"resource": resource, "sections": sections}
    )
