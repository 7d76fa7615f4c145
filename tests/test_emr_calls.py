"""emr_error(): an EMR failure as one line a user can act on."""

from botocore.exceptions import ClientError, EndpointConnectionError, NoCredentialsError

from hashtagcount.emr.calls import emr_error


def client_error(code, message):
    return ClientError({"Error": {"Code": code, "Message": message}}, "RunJobFlow")


def test_a_role_problem_points_at_the_default_roles():
    error = client_error("ValidationException", "Invalid InstanceProfile: EMR_EC2_DefaultRole.")
    assert str(emr_error("create cluster", error)) == (
        "create cluster: EMR error ValidationException: Invalid InstanceProfile: EMR_EC2_DefaultRole."
        "; the default roles are created once per account with: aws emr create-default-roles"
    )


def test_other_errors_get_no_role_hint_even_if_the_action_names_a_role():
    error = client_error("ValidationException", "Instance count must be positive.")
    assert str(emr_error("check role-based cluster", error)) == (
        "check role-based cluster: EMR error ValidationException: Instance count must be positive."
    )


def test_access_denied_credentials_and_endpoint_read_plainly():
    denied = client_error("AccessDeniedException", "User is not authorized to perform RunJobFlow")
    assert str(emr_error("create cluster", denied)) == (
        "create cluster: access denied (AccessDeniedException: User is not authorized to perform RunJobFlow)"
    )
    assert str(emr_error("create cluster", NoCredentialsError())) == (
        "create cluster: no AWS credentials found: set AWS_PROFILE or run aws configure"
    )
    unreachable = EndpointConnectionError(endpoint_url="http://127.0.0.1:9")
    assert str(emr_error("create cluster", unreachable)).startswith("create cluster: cannot reach the EMR endpoint")
